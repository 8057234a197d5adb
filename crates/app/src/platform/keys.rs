//! Which keys a deployment's data is sealed with. The database records a fingerprint of the keys
//! (a settings row, written when the first key is created), so that a start-up with a missing or a
//! different key file stops before it writes anything, instead of generating a new key that cannot
//! open the data already there.

use std::path::Path;

use anyhow::bail;
use honglian_store::repo::members::registry;
use honglian_store::repo::platform::settings;
use sea_orm::DatabaseConnection;

use crate::platform::crypto::{FileKeyProvider, fingerprint};
use crate::{App, Crypto};

/// The settings row holding the fingerprint of the keys in use.
pub const FINGERPRINT: &str = "keys.fingerprint";
/// The settings row recording a key rotation under way and its progress (see `platform::rotation`).
pub const ROTATION: &str = "keys.rotation";

fn short(fp: &str) -> &str {
    &fp[..fp.len().min(16)]
}

/// Opens the key file for the database `db`, before anything is migrated or written. Creates a
/// new key file only when the database holds no encrypted data and records no fingerprint; fails
/// with a Chinese message naming the way out when the file is missing or belongs to other data.
pub async fn open(db: &DatabaseConnection, path: &Path) -> anyhow::Result<FileKeyProvider> {
    let (recorded, sample) = if settings::table_exists(db).await? {
        (settings::get(db, FINGERPRINT).await?, registry::sample_sealed(db).await?)
    } else {
        (None, None)
    };
    if !path.exists() {
        if let Some(fp) = recorded.as_deref() {
            bail!(
                "密钥文件 {} 不存在，而数据库记录了所用密钥（指纹 {}），其中的个人信息须用原密钥才能解密。\
                 不会生成新密钥，也没有做任何改动。请把原密钥文件放回该位置，或用 --key-file、环境变量 \
                 HONGLIAN_KEY_FILE 或配置文件中的 key_file 指出它的位置。",
                path.display(),
                short(fp)
            );
        }
        if sample.is_some() {
            bail!(
                "密钥文件 {} 不存在，而数据库中已有加密的个人信息。不会生成新密钥，也没有做任何改动。\
                 请把原密钥文件放回该位置，或用 --key-file、环境变量 HONGLIAN_KEY_FILE 或配置文件中的 \
                 key_file 指出它的位置。",
                path.display()
            );
        }
        return FileKeyProvider::create(path);
    }
    let keys = FileKeyProvider::load(path)?;
    let fp = fingerprint(&keys);
    // During a rotation the file holds the new keys too; the database may already record those.
    let next = keys.next().map(|n| fingerprint(n));
    match recorded {
        Some(r) if r != fp && Some(&r) != next.as_ref() => bail!(
            "密钥文件 {} 与数据库不符：数据库记录的密钥指纹是 {}，该文件的是 {}。没有做任何改动。\
             请使用与这个数据库配套的密钥文件（--key-file）。",
            path.display(),
            short(&r),
            short(&fp)
        ),
        Some(_) => {}
        // A database from before fingerprints were recorded: try the keys on one sealed value.
        None => {
            if let Some((bidx, sealed)) = sample {
                let crypto = Crypto::new(&keys);
                let fits = crypto
                    .open(&sealed, &App::aad("id_number", &bidx))
                    .is_ok_and(|id| crypto.blind_index("id_number", &id) == bidx);
                if !fits {
                    bail!(
                        "密钥文件 {} 与数据库不符：它解不开数据库中已加密的个人信息。没有做任何改动。\
                         请使用与这个数据库配套的密钥文件（--key-file）。",
                        path.display()
                    );
                }
            }
        }
    }
    Ok(keys)
}

/// Records the fingerprint of `keys` unless one is recorded (after migration). When several
/// instances start at once with different new key files, only the first one's is kept and the
/// others stop here.
pub async fn record(db: &DatabaseConnection, keys: &FileKeyProvider) -> anyhow::Result<()> {
    let fp = fingerprint(keys);
    if !settings::insert_if_absent(db, FINGERPRINT, &fp).await? {
        let recorded = settings::get(db, FINGERPRINT).await?.unwrap_or_default();
        if recorded != fp && Some(&recorded) != keys.next().map(|n| fingerprint(n)).as_ref() {
            bail!(
                "密钥文件与数据库不符：数据库记录的密钥指纹是 {}，本实例的是 {}（另一个实例刚刚用别的密钥初始化了数据库）。\
                 请让所有实例使用同一个密钥文件（--key-file）。",
                short(&recorded),
                short(&fp)
            );
        }
    }
    Ok(())
}

/// Stops a start-up while a key rotation is unfinished: part of the data is sealed with the new keys
/// and part with the old ones until `honglian keys rotate` has run to the end.
pub async fn refuse_unfinished_rotation(db: &DatabaseConnection, keys: &FileKeyProvider) -> anyhow::Result<()> {
    if keys.next().is_some() || settings::get(db, ROTATION).await?.is_some() {
        bail!(
            "密钥轮换尚未完成（可能被中断）：部分个人信息已用新密钥加密。请先再次运行 honglian keys rotate\
             （使用同一个密钥文件），它会从中断处继续并完成轮换；完成前服务和其他命令不会启动。"
        );
    }
    Ok(())
}
