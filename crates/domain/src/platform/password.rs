//! Password policy.

#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct PasswordPolicy {
    pub min_length: usize,
    /// How many of the four classes (lower, upper, digit, symbol) must appear.
    pub min_classes: usize,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self { min_length: 8, min_classes: 3 }
    }
}

impl PasswordPolicy {
    pub fn check(&self, password: &str, username: &str) -> Result<(), String> {
        let n = password.chars().count();
        if n < self.min_length {
            return Err(format!("密码至少 {} 位", self.min_length));
        }
        if n > 128 {
            return Err("密码不能超过 128 位".into());
        }
        let classes = [
            password.chars().any(|c| c.is_ascii_lowercase()),
            password.chars().any(|c| c.is_ascii_uppercase()),
            password.chars().any(|c| c.is_ascii_digit()),
            password.chars().any(|c| !c.is_ascii_alphanumeric()),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if classes < self.min_classes {
            return Err(format!("密码需包含小写字母、大写字母、数字、符号中的至少 {} 类", self.min_classes));
        }
        if !username.is_empty() && password.to_lowercase().contains(&username.to_lowercase()) {
            return Err("密码不能包含用户名".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_counts_classes_and_length() {
        let p = PasswordPolicy::default();
        assert!(p.check("Demo@2026!", "gz_branch").is_ok());
        assert_eq!(p.check("Ab1!", "x").unwrap_err(), "密码至少 8 位");
        assert!(p.check("abcdefgh1", "x").unwrap_err().contains("至少 3 类"));
        assert!(p.check("Abcdefgh1", "x").is_ok());
        assert!(p.check("Gz_branch123", "gz_branch").unwrap_err().contains("用户名"));
    }
}
