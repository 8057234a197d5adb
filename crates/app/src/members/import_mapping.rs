//! Column mappings saved per county: when a roster's headers are not ones the importer knows, the
//! user says which column is which; the mapping is saved under a name and offered on the next
//! import in the same county (a county's rosters tend to share a layout).

use std::collections::BTreeMap;

use honglian_domain::platform::authz::Permission;
use honglian_store::Scope;
use honglian_store::repo::members::import_mappings as repo;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::members::import::{ColumnMapping, ImportField, import_fields};
use crate::platform::audit::Event;
use crate::platform::settings::county_of;
use crate::{App, AppError, AppResult, Ctx};

/// A saved mapping.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportMappingView {
    pub id: i64,
    pub name: String,
    /// The header row as Excel numbers it.
    pub header_row: usize,
    /// Field → column letter.
    pub columns: BTreeMap<String, String>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// The saved mappings of the caller's county, and the fields a mapping may name.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportMappings {
    pub items: Vec<ImportMappingView>,
    pub fields: Vec<ImportField>,
}

/// A mapping to save under a name (a mapping of the same name in the county is replaced).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ImportMappingInput {
    /// 1–50 characters.
    pub name: String,
    #[serde(flatten)]
    pub mapping: ColumnMapping,
}

fn view(m: repo::ImportMapping) -> ImportMappingView {
    ImportMappingView {
        id: m.id,
        name: m.name,
        header_row: m.header_row.max(0) as usize,
        columns: serde_json::from_str(&m.columns).unwrap_or_default(),
        updated_at: m.updated_at,
    }
}

impl App {
    /// The counties whose mappings the caller uses: those of their organisations for member writes.
    /// A county-wide grant elsewhere in the tree gives none (mappings belong to a county).
    fn mapping_counties(&self, ctx: &Ctx) -> AppResult<Vec<i64>> {
        let counties: Vec<i64> = match ctx.actor()?.scope(Permission::MemberWrite)? {
            Scope::Paths(paths) => {
                let mut c: Vec<i64> = paths.iter().filter_map(|p| county_of(p)).collect();
                c.sort_unstable();
                c.dedup();
                c
            }
            Scope::All(_) => self.reader_county(ctx)?.into_iter().collect(),
        };
        if counties.is_empty() {
            return Err(AppError::Forbidden("导入对应关系按县（市）保存，您的账号不属于任何县（市）".into()));
        }
        Ok(counties)
    }

    /// The caller's county's saved mappings.
    pub async fn import_mappings(&self, ctx: &Ctx) -> AppResult<ImportMappings> {
        let counties = self.mapping_counties(ctx)?;
        let items = repo::list(&self.db, &counties).await?.into_iter().map(view).collect();
        Ok(ImportMappings { items, fields: import_fields() })
    }

    /// Saves a mapping under a name for the caller's county (replacing one of the same name).
    pub async fn save_import_mapping(&self, ctx: &Ctx, input: ImportMappingInput) -> AppResult<ImportMappingView> {
        let county = self.mapping_counties(ctx)?[0];
        let name = honglian_domain::members::import::normalize_text(&input.name);
        if name.is_empty() || name.chars().count() > 50 {
            return Err(AppError::field("name", "请填写对应关系的名称（1 到 50 个字）"));
        }
        let mut mapping = input.mapping;
        mapping.columns.retain(|_, v| !v.trim().is_empty());
        if mapping.columns.is_empty() {
            return Err(AppError::field("columns", "请至少指定一列"));
        }
        // Checked as an import would check it; kept with canonical letters.
        mapping.columns = mapping.canonical()?;
        let columns = serde_json::to_string(&mapping.columns).unwrap_or_default();
        let txn = honglian_store::begin_write(&self.db).await?;
        let saved = repo::save(&txn, county, &name, mapping.header_row as i32, &columns, ctx.actor_id()).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("member.import_mapping.save", "import_mapping", saved.id)
                .with(serde_json::json!({"county": county, "name": name, "header_row": mapping.header_row, "columns": mapping.columns})),
        )
        .await?;
        txn.commit().await?;
        Ok(view(saved))
    }
}
