//! Encryption of personal data at rest (SM4-GCM) and blind indexes (HMAC-SM3),
//! behind a key-provider seam: the default keeps the keys in a file in the
//! data directory or wherever `--key-file` says (mode 0600); a KMS or HSM can implement [`KeyProvider`].
//! Which keys belong to a database is checked in [`crate::platform::keys`].

use aes_gcm::AesGcm;
use aes_gcm::aead::generic_array::typenum::U12;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use anyhow::{Context, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use hmac::{Hmac, Mac};
use sm3::{Digest, Sm3};
use std::path::Path;

type Sm4Gcm = AesGcm<sm4::Sm4, U12>;

/// The keys, however they are obtained.
pub trait KeyProvider: Send + Sync {
    /// 16-byte SM4 data-encryption key.
    fn data_key(&self) -> [u8; 16];
    /// 32-byte key of the blind index.
    fn index_key(&self) -> [u8; 32];
    /// 32-byte key of the audit chain's MAC. Never stored in the database, so that a database writer
    /// cannot rebuild the chain after an edit. By default derived from the index key.
    fn audit_key(&self) -> [u8; 32] {
        derived_audit_key(&self.index_key())
    }
}

fn derived_audit_key(index_key: &[u8; 32]) -> [u8; 32] {
    let mut mac = <Hmac<Sm3> as Mac>::new_from_slice(index_key).expect("HMAC takes any key length");
    mac.update(b"honglian-audit-chain-v1");
    mac.finalize().into_bytes().into()
}

/// Keys kept in a file: `honglian-keys-v1`, then the data key, the index key and the audit key in hex
/// (files written before the audit key existed have two keys; theirs is derived from the index key).
/// During a key rotation (`platform::rotation`) the file is `honglian-keys-v2`: the same three lines,
/// then the new data and index keys; the rotation ends by writing a `v1` file holding the new keys.
pub struct FileKeyProvider {
    data: [u8; 16],
    index: [u8; 32],
    audit: Option<[u8; 32]>,
    next: Option<KeySet>,
}

/// A data key and an index key (and the audit key that goes with them), however obtained.
#[derive(Clone)]
pub struct KeySet {
    pub data: [u8; 16],
    pub index: [u8; 32],
    pub audit: [u8; 32],
}

impl KeyProvider for KeySet {
    fn data_key(&self) -> [u8; 16] {
        self.data
    }
    fn index_key(&self) -> [u8; 32] {
        self.index
    }
    fn audit_key(&self) -> [u8; 32] {
        self.audit
    }
}

fn random<const N: usize>() -> anyhow::Result<[u8; N]> {
    let mut k = [0u8; N];
    getrandom::fill(&mut k).map_err(|e| anyhow::anyhow!("随机数生成失败: {e}"))?;
    Ok(k)
}

fn hex_key<const N: usize>(line: Option<&str>, what: &str) -> anyhow::Result<[u8; N]> {
    hex::decode(line.unwrap_or_default().trim())
        .ok()
        .and_then(|v| v.try_into().ok())
        .with_context(|| format!("密钥文件中的{what}无效"))
}

impl FileKeyProvider {
    /// Creates the key file (mode 0600, never overwriting one) with fresh random keys.
    pub fn create(path: &Path) -> anyhow::Result<Self> {
        let keys = Self { data: random()?, index: random()?, audit: Some(random()?), next: None };
        write_private(path, keys.text().as_bytes()).with_context(|| format!("无法创建密钥文件 {}", path.display()))?;
        Ok(keys)
    }

    /// Loads an existing key file.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path).with_context(|| format!("无法读取密钥文件 {}", path.display()))?;
        let mut lines = text.lines();
        let rotating = match lines.next() {
            Some("honglian-keys-v1") => false,
            Some("honglian-keys-v2") => true,
            _ => bail!("密钥文件 {} 格式不正确", path.display()),
        };
        let data = hex_key(lines.next(), "数据密钥")?;
        let index = hex_key(lines.next(), "索引密钥")?;
        let audit = match lines.next().filter(|l| !l.trim().is_empty()) {
            None => None,
            Some(l) => Some(hex_key(Some(l), "审计密钥")?),
        };
        let next = if rotating {
            let audit = audit.context("密钥文件中缺少审计密钥")?;
            Some(KeySet {
                data: hex_key(lines.next(), "新数据密钥")?,
                index: hex_key(lines.next(), "新索引密钥")?,
                audit,
            })
        } else {
            None
        };
        Ok(Self { data, index, audit, next })
    }

    /// The new keys of a rotation that has not finished.
    pub fn next(&self) -> Option<&KeySet> {
        self.next.as_ref()
    }

    /// The keys in use, with the audit key spelled out.
    pub fn current(&self) -> KeySet {
        KeySet { data: self.data, index: self.index, audit: self.audit_key() }
    }

    fn text(&self) -> String {
        let mut t = format!(
            "honglian-keys-{}\n{}\n{}\n{}\n",
            if self.next.is_some() { "v2" } else { "v1" },
            hex::encode(self.data),
            hex::encode(self.index),
            hex::encode(self.audit_key())
        );
        if let Some(n) = &self.next {
            t.push_str(&format!("{}\n{}\n", hex::encode(n.data), hex::encode(n.index)));
        }
        t
    }

    /// Starts a rotation: replaces the file (atomically) with one holding these keys and new random
    /// data and index keys. The audit key stays: the audit chain is linked with it and is never rewritten.
    pub fn begin_rotation(&self, path: &Path) -> anyhow::Result<Self> {
        let audit = self.audit_key();
        let next = KeySet { data: random()?, index: random()?, audit };
        let keys = Self { data: self.data, index: self.index, audit: Some(audit), next: Some(next) };
        replace_private(path, keys.text().as_bytes())
            .with_context(|| format!("无法写入密钥文件 {}", path.display()))?;
        Ok(keys)
    }

    /// Ends a rotation: replaces the file (atomically) with one holding only the new keys.
    pub fn finish_rotation(&self, path: &Path) -> anyhow::Result<Self> {
        let n = self.next.clone().context("密钥文件中没有新密钥")?;
        let keys = Self { data: n.data, index: n.index, audit: Some(n.audit), next: None };
        replace_private(path, keys.text().as_bytes())
            .with_context(|| format!("无法写入密钥文件 {}", path.display()))?;
        Ok(keys)
    }
}

/// Replaces `path` with `bytes` so that a crash leaves either the old or the new file, never a mix:
/// a private temporary file beside it, flushed to disk, renamed over it, and the directory flushed.
fn replace_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.new"));
    let _ = std::fs::remove_file(&tmp);
    write_private(&tmp, bytes)?;
    std::fs::rename(&tmp, path)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

/// A fingerprint of the keys (SM3 over a label and the keys, hex): recorded in the database so that a
/// start-up with another key file is caught. It reveals nothing usable about the keys themselves.
pub fn fingerprint(keys: &dyn KeyProvider) -> String {
    let mut bytes = b"honglian-key-fingerprint-v1\0".to_vec();
    bytes.extend_from_slice(&keys.data_key());
    bytes.extend_from_slice(&keys.index_key());
    sm3_hex(&bytes)
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

impl KeyProvider for FileKeyProvider {
    fn data_key(&self) -> [u8; 16] {
        self.data
    }
    fn index_key(&self) -> [u8; 32] {
        self.index
    }
    fn audit_key(&self) -> [u8; 32] {
        self.audit.unwrap_or_else(|| derived_audit_key(&self.index))
    }
}

/// Seals and opens personal fields; computes blind indexes.
#[derive(Clone)]
pub struct Crypto {
    cipher: Sm4Gcm,
    index_key: [u8; 32],
    audit_key: [u8; 32],
    record_key: [u8; 32],
}

const PREFIX: &str = "v1:";

impl Crypto {
    pub fn new(keys: &dyn KeyProvider) -> Self {
        let cipher = Sm4Gcm::new_from_slice(&keys.data_key()).expect("SM4 key is 16 bytes");
        let audit_key = keys.audit_key();
        // The records' MAC key is derived from the audit key: like it, never in the database and kept
        // through a key rotation, so the MACs need no rewriting when the data keys change.
        let mut mac = <Hmac<Sm3> as Mac>::new_from_slice(&audit_key).expect("HMAC takes any key length");
        mac.update(b"honglian-record-mac-v1");
        let record_key = mac.finalize().into_bytes().into();
        Self { cipher, index_key: keys.index_key(), audit_key, record_key }
    }

    /// Encrypts `plaintext`; `aad` binds the ciphertext to its table, column and row.
    pub fn seal(&self, plaintext: &str, aad: &str) -> String {
        let mut nonce = [0u8; 12];
        getrandom::fill(&mut nonce).expect("system random source");
        let ct = self
            .cipher
            .encrypt(aes_gcm::Nonce::from_slice(&nonce), Payload { msg: plaintext.as_bytes(), aad: aad.as_bytes() })
            .expect("SM4-GCM encryption cannot fail for in-memory data");
        let mut out = Vec::with_capacity(12 + ct.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        format!("{PREFIX}{}", B64.encode(out))
    }

    pub fn open(&self, sealed: &str, aad: &str) -> anyhow::Result<String> {
        let body = sealed.strip_prefix(PREFIX).context("未知的密文版本")?;
        let raw = B64.decode(body).context("密文编码损坏")?;
        if raw.len() < 12 + 16 {
            bail!("密文过短");
        }
        let (nonce, ct) = raw.split_at(12);
        let pt = self
            .cipher
            .decrypt(aes_gcm::Nonce::from_slice(nonce), Payload { msg: ct, aad: aad.as_bytes() })
            .map_err(|_| anyhow::anyhow!("密文校验失败（数据被篡改或密钥不符）"))?;
        String::from_utf8(pt).context("明文不是 UTF-8")
    }

    /// Keyed HMAC-SM3 of a normalised value, hex; `domain` separates fields.
    pub fn blind_index(&self, domain: &str, value: &str) -> String {
        let mut mac = <Hmac<Sm3> as Mac>::new_from_slice(&self.index_key).expect("HMAC takes any key length");
        mac.update(domain.as_bytes());
        mac.update(b"\0");
        mac.update(value.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

impl Crypto {
    /// A protected record's MAC: HMAC-SM3 (the record key) of its table and canonical text, hex
    /// (`platform::integrity`).
    pub fn record_mac(&self, table: &str, text: &str) -> String {
        let mut mac = <Hmac<Sm3> as Mac>::new_from_slice(&self.record_key).expect("HMAC takes any key length");
        mac.update(table.as_bytes());
        mac.update(b"\n");
        mac.update(text.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// The deployment's SM2 signing key, derived from the audit key (`platform::signing`).
    pub fn signing_key(&self) -> sm2::dsa::SigningKey {
        crate::platform::signing::signing_key(&self.audit_key)
    }

    /// The audit chain's link: HMAC-SM3 (audit key) of the previous link and a record's canonical text, hex.
    pub fn audit_mac(&self, prev: &str, text: &str) -> String {
        let mut mac = <Hmac<Sm3> as Mac>::new_from_slice(&self.audit_key).expect("HMAC takes any key length");
        mac.update(prev.as_bytes());
        mac.update(b"\n");
        mac.update(text.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

/// Seals the chunks of a temporary file (an import's checked rows, waiting for its write transaction)
/// with SM4-GCM under a key made for that file alone and never stored: once the sealer is dropped
/// (the import ends, or the process dies), nothing can open the file, whoever holds the key file.
/// The nonce is the chunk's number (the key seals nothing else, so a nonce is never used twice);
/// a chunk therefore opens only as the chunk it was, in its place.
pub struct ChunkSealer {
    cipher: Sm4Gcm,
    sealed: u64,
}

impl ChunkSealer {
    const AAD: &[u8] = b"honglian-temporary-chunk-v1";

    pub fn new() -> Self {
        let mut key = [0u8; 16];
        getrandom::fill(&mut key).expect("system random source");
        Self { cipher: Sm4Gcm::new_from_slice(&key).expect("SM4 key is 16 bytes"), sealed: 0 }
    }

    fn nonce(chunk: u64) -> [u8; 12] {
        let mut n = [0u8; 12];
        n[4..].copy_from_slice(&chunk.to_be_bytes());
        n
    }

    /// Seals the next chunk (numbered from 0 in the order they are sealed).
    pub fn seal(&mut self, plaintext: &[u8]) -> Vec<u8> {
        let nonce = Self::nonce(self.sealed);
        self.sealed += 1;
        self.cipher
            .encrypt(aes_gcm::Nonce::from_slice(&nonce), Payload { msg: plaintext, aad: Self::AAD })
            .expect("SM4-GCM encryption cannot fail for in-memory data")
    }

    /// Opens chunk number `chunk`.
    pub fn open(&self, chunk: u64, sealed: &[u8]) -> anyhow::Result<Vec<u8>> {
        self.cipher
            .decrypt(aes_gcm::Nonce::from_slice(&Self::nonce(chunk)), Payload { msg: sealed, aad: Self::AAD })
            .map_err(|_| anyhow::anyhow!("临时文件校验失败（第 {chunk} 块被改动或错位）"))
    }
}

impl Default for ChunkSealer {
    fn default() -> Self {
        Self::new()
    }
}

/// SM3 of bytes, hex.
pub fn sm3_hex(bytes: &[u8]) -> String {
    hex::encode(Sm3::digest(bytes))
}

/// `n` random bytes, base64url without padding.
pub fn random_token(n: usize) -> String {
    let mut b = vec![0u8; n];
    getrandom::fill(&mut b).expect("system random source");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixed;
    impl KeyProvider for Fixed {
        fn data_key(&self) -> [u8; 16] {
            [7; 16]
        }
        fn index_key(&self) -> [u8; 32] {
            [9; 32]
        }
    }

    #[test]
    fn seal_round_trips_and_binds_to_context() {
        let c = Crypto::new(&Fixed);
        let s = c.seal("44088319900101123X", "members.id_number:1");
        assert!(!s.contains("4408831990"));
        assert_eq!(c.open(&s, "members.id_number:1").unwrap(), "44088319900101123X");
        assert!(c.open(&s, "members.id_number:2").is_err(), "moved to another row must fail");
        assert_ne!(s, c.seal("44088319900101123X", "members.id_number:1"), "random nonce");
    }

    #[test]
    fn chunks_open_only_in_their_place_and_under_their_own_key() {
        let mut s = ChunkSealer::new();
        let a = s.seal("陈志强,44088319850714971X".as_bytes());
        let b = s.seal(b"second");
        assert!(!a.windows(6).any(|w| w == b"440883"), "no clear text");
        assert_eq!(s.open(0, &a).unwrap(), "陈志强,44088319850714971X".as_bytes());
        assert_eq!(s.open(1, &b).unwrap(), b"second");
        assert!(s.open(1, &a).is_err(), "a chunk swapped into another's place does not open");
        assert!(ChunkSealer::new().open(0, &a).is_err(), "another sealer's key does not open it");
        let mut tampered = a.clone();
        tampered[0] ^= 1;
        assert!(s.open(0, &tampered).is_err());
    }

    #[test]
    fn blind_index_is_keyed_and_separated() {
        let c = Crypto::new(&Fixed);
        assert_eq!(c.blind_index("id", "x"), c.blind_index("id", "x"));
        assert_ne!(c.blind_index("id", "x"), c.blind_index("phone", "x"));
        assert_ne!(c.blind_index("id", "x"), sm3_hex(b"id\0x"));
    }

    #[test]
    fn key_file_is_private_and_stable() {
        let dir = std::env::temp_dir().join(format!("hl-key-{}", random_token(6)));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("keys");
        let a = FileKeyProvider::create(&p).unwrap();
        let b = FileKeyProvider::load(&p).unwrap();
        assert_eq!((a.data_key(), a.index_key()), (b.data_key(), b.index_key()));
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert!(FileKeyProvider::create(&p).is_err(), "an existing key file is never overwritten");
        assert_eq!(FileKeyProvider::load(&p).unwrap().data_key(), a.data_key());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o600);
        }
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_rotation_keeps_the_audit_key_and_ends_with_one_key() {
        let dir = std::env::temp_dir().join(format!("hl-key-{}", random_token(6)));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("keys");
        let a = FileKeyProvider::create(&p).unwrap();
        let both = a.begin_rotation(&p).unwrap();
        let loaded = FileKeyProvider::load(&p).unwrap();
        assert!(std::fs::read_to_string(&p).unwrap().starts_with("honglian-keys-v2\n"));
        assert_eq!(fingerprint(&loaded), fingerprint(&a), "the old keys stay in use until the end");
        let next = loaded.next().unwrap();
        assert_ne!(fingerprint(next), fingerprint(&a));
        assert_eq!(next.audit_key(), a.audit_key(), "the audit chain's key is not rotated");
        let done = both.finish_rotation(&p).unwrap();
        let reloaded = FileKeyProvider::load(&p).unwrap();
        assert!(reloaded.next().is_none() && std::fs::read_to_string(&p).unwrap().starts_with("honglian-keys-v1\n"));
        assert_eq!((fingerprint(&reloaded), reloaded.audit_key()), (fingerprint(&done), a.audit_key()));
        assert_eq!(fingerprint(&reloaded), fingerprint(next));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o600);
        }
        std::fs::remove_dir_all(dir).unwrap();
    }
}
