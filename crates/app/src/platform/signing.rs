//! SM2 signatures (GB/T 32918, SM2DSA with SM3) on files the deployment hands out — the audit archive
//! (`honglian audit export`) — so that whoever receives one (an assessor, an archive, a court) can
//! check with the deployment's *public* key alone that it came from this deployment unchanged, and the
//! deployment cannot later deny having produced it (GB/T 39786 "non-repudiation of data origin").
//!
//! The signing key is derived from the audit key (HMAC-SM3 with a label, reduced to a valid SM2
//! scalar), so it is never in the database, every instance holds the same one, and it needs no file
//! of its own; `honglian keys public-key` prints the public key to publish. The signature covers a
//! short statement naming the file, its length and its SM3 digest (computed streaming, so a file of
//! any size is signed in constant memory). The signature file `FILE.sig` is JSON.

use std::path::Path;

use anyhow::{Context, bail};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sm2::dsa::signature::{Signer, Verifier};
use sm2::dsa::{Signature, SigningKey, VerifyingKey};
use sm3::Sm3;

/// The distinguishing identifier of GM/T 0009's default, so that other SM2 tools (GmSSL, BouncyCastle)
/// verify the signatures without being told one.
pub const DISTID: &str = "1234567812345678";
const ALGORITHM: &str = "SM2-SM3";

/// The deployment's signing key, from its audit key.
pub fn signing_key(audit_key: &[u8; 32]) -> SigningKey {
    for counter in 0u32.. {
        let mut mac = <Hmac<Sm3> as Mac>::new_from_slice(audit_key).expect("HMAC takes any key length");
        mac.update(b"honglian-sm2-signing-v1");
        mac.update(&counter.to_be_bytes());
        let bytes = mac.finalize().into_bytes();
        // Almost every 256-bit value is a valid scalar (below the order, not zero); the counter
        // moves past the rare one that is not.
        if let Ok(secret) = sm2::SecretKey::from_slice(&bytes)
            && let Ok(key) = SigningKey::new(DISTID, &secret)
        {
            return key;
        }
    }
    unreachable!("a valid scalar is found within a few tries")
}

/// The public key in uncompressed SEC1 form, hex (`04…`, 130 characters).
pub fn public_key_hex(key: &SigningKey) -> String {
    hex::encode(key.verifying_key().to_sec1_bytes())
}

/// What `FILE.sig` holds.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileSignature {
    pub algorithm: String,
    pub distid: String,
    /// The signer's public key (SEC1, hex): informative — check it against the published key.
    pub public_key: String,
    pub file: String,
    pub bytes: u64,
    pub sm3: String,
    /// r‖s, 64 bytes, hex.
    pub signature: String,
    pub signed_at: chrono::DateTime<chrono::Utc>,
}

fn statement(file: &str, bytes: u64, sm3: &str) -> String {
    format!("honglian-signed-file-v1\n{file}\n{bytes}\n{sm3}\n")
}

fn digest(path: &Path) -> anyhow::Result<(u64, String)> {
    let (sm3, n) = crate::platform::backup::sm3_file(path).with_context(|| format!("无法读取 {}", path.display()))?;
    Ok((n, sm3))
}

/// The signature file's path: `FILE.sig` beside `FILE`.
pub fn signature_path(path: &Path) -> std::path::PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(".sig");
    p.into()
}

/// Signs `path` and writes `FILE.sig` (a new file, mode 0600). Returns what it wrote.
pub fn sign_file(key: &SigningKey, path: &Path) -> anyhow::Result<FileSignature> {
    let file = path.file_name().context("文件名无效")?.to_string_lossy().to_string();
    let (bytes, sm3) = digest(path)?;
    let sig: Signature = key.sign(statement(&file, bytes, &sm3).as_bytes());
    let s = FileSignature {
        algorithm: ALGORITHM.into(),
        distid: DISTID.into(),
        public_key: public_key_hex(key),
        file,
        bytes,
        sm3,
        signature: hex::encode(sig.to_bytes()),
        signed_at: chrono::Utc::now(),
    };
    let out = signature_path(path);
    let mut f = crate::platform::backup::create_private(&out)
        .with_context(|| format!("无法创建签名文件 {}（已存在则拒绝覆盖）", out.display()))?;
    std::io::Write::write_all(&mut f, serde_json::to_string_pretty(&s)?.as_bytes())?;
    f.sync_all()?;
    Ok(s)
}

/// Checks `path` against `FILE.sig` with the public key `public_key` (SEC1 hex, as published). An
/// error says in Chinese what does not hold.
pub fn verify_file(path: &Path, public_key: &str) -> anyhow::Result<FileSignature> {
    let sig_path = signature_path(path);
    let text = std::fs::read_to_string(&sig_path).with_context(|| format!("找不到签名文件 {}", sig_path.display()))?;
    let s: FileSignature = serde_json::from_str(&text).context("签名文件格式不正确")?;
    if s.algorithm != ALGORITHM {
        bail!("不支持的签名算法 {}", s.algorithm);
    }
    let key_bytes = hex::decode(public_key.trim()).context("公钥不是十六进制")?;
    let key = VerifyingKey::from_sec1_bytes(&s.distid, &key_bytes).map_err(|_| anyhow::anyhow!("公钥无效"))?;
    let (bytes, sm3) = digest(path)?;
    if bytes != s.bytes || sm3 != s.sm3 {
        bail!("文件内容与签名不符（签名时 {} 字节，现在 {bytes} 字节；SM3 不同）：文件已被改动", s.bytes);
    }
    let raw = hex::decode(&s.signature).context("签名不是十六进制")?;
    let sig = Signature::try_from(raw.as_slice()).map_err(|_| anyhow::anyhow!("签名格式不正确"))?;
    key.verify(statement(&s.file, bytes, &sm3).as_bytes(), &sig)
        .map_err(|_| anyhow::anyhow!("SM2 签名校验失败：签名不是这把公钥所签，或签名文件已被改动"))?;
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_signed_with_sm2_and_verified_with_the_public_key_alone() {
        let dir = std::env::temp_dir().join(format!("hl_sign_{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("archive.jsonl");
        std::fs::write(&path, "{\"id\":1}\n{\"id\":2}\n").unwrap();
        let key = signing_key(&[7u8; 32]);
        // The same audit key always gives the same signing key (every instance signs alike).
        assert_eq!(public_key_hex(&key), public_key_hex(&signing_key(&[7u8; 32])));
        let public = public_key_hex(&key);
        assert!(public.starts_with("04") && public.len() == 130, "{public}");
        let s = sign_file(&key, &path).unwrap();
        assert_eq!(s.bytes, 18);
        assert!(sign_file(&key, &path).is_err(), "never overwrites a signature");
        assert_eq!(verify_file(&path, &public).unwrap().sm3, s.sm3);
        // Another deployment's key does not verify it.
        let other = public_key_hex(&signing_key(&[8u8; 32]));
        assert!(verify_file(&path, &other).unwrap_err().to_string().contains("SM2 签名校验失败"));
        // One byte changed in the file is found.
        std::fs::write(&path, "{\"id\":1}\n{\"id\":3}\n").unwrap();
        assert!(verify_file(&path, &public).unwrap_err().to_string().contains("文件已被改动"));
        // A statement re-signed by someone else, with the digest of the changed file, does not verify.
        let forged = FileSignature { sm3: digest(&path).unwrap().1, ..s };
        std::fs::write(signature_path(&path), serde_json::to_string(&forged).unwrap()).unwrap();
        assert!(verify_file(&path, &public).unwrap_err().to_string().contains("SM2 签名校验失败"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
