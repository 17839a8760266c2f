//! Bulk writes for the load benchmark (`gw2opt bench seed`), behind the `bench` feature so a
//! production build carries neither them nor the test helpers of `testing`.

use crate::{Db, StoreError};

/// Copies build `template` `count` times (load tests and benchmarks): same content, spread
/// over the given authors, the nine professions (the template's own specialization kept on
/// its profession only), game modes and roles, 80% public, created one second apart, with
/// tags, in transactions of 5,000 rows. Far faster than the one-transaction-per-build path
/// and measures nothing the list queries depend on. Returns the new ids.
pub async fn clone_builds(
    db: &Db,
    template: uuid::Uuid,
    authors: &[uuid::Uuid],
    count: usize,
) -> Result<Vec<uuid::Uuid>, StoreError> {
    const MODES: [&str; 6] = ["pve", "raid", "fractals", "strikes", "wvw", "pvp"];
    const ROLES: [&str; 6] = ["dps", "boon_dps", "support", "healer", "tank", "utility"];
    const PROFESSIONS: [&str; 9] = [
        "Guardian",
        "Warrior",
        "Engineer",
        "Ranger",
        "Thief",
        "Elementalist",
        "Mesmer",
        "Necromancer",
        "Revenant",
    ];
    let Some(row) = crate::builds::by_id(db, template).await? else {
        return Err(StoreError::NotFound);
    };
    if authors.is_empty() {
        return Ok(Vec::new());
    }
    let sql = "INSERT INTO builds (id, user_id, name, profession, specialization, game_mode, role, trait_lines, skills, \
               equipment, synergies, counters, description, tags, is_public, score, views, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 0, 0, $16, $16)";
    let start = crate::now() - chrono::Duration::seconds(i64::try_from(count).unwrap_or(0));
    let ids: Vec<uuid::Uuid> = (0..count).map(|_| uuid::Uuid::new_v4()).collect();
    for (chunk_index, chunk) in ids.chunks(5_000).enumerate() {
        crate::on_write!(db, pool => {
            let mut tx = pool.begin().await?;
            for (offset, id) in chunk.iter().enumerate() {
                let i = chunk_index * 5_000 + offset;
                let tag = if i % 10 == 3 { "zerg".to_owned() } else { format!("tag{}", i % 500) };
                let at = start + chrono::Duration::seconds(i64::try_from(i).unwrap_or(0));
                sqlx::query(sql)
                    .bind(id).bind(authors[i % authors.len()]).bind(format!("{} #{i}", row.name)).bind(PROFESSIONS[i % 9])
                    .bind(if PROFESSIONS[i % 9] == row.profession { row.specialization.clone() } else { None }).bind(MODES[i % 6]).bind(ROLES[(i / 6) % 6]).bind(&row.trait_lines)
                    .bind(&row.skills).bind(&row.equipment).bind(&row.synergies).bind(&row.counters)
                    .bind(format!("Guide number {i}")).bind(format!("[{tag:?}]")).bind(i % 5 != 0).bind(at)
                    .execute(&mut *tx).await?;
                sqlx::query("INSERT INTO build_tags (build_id, tag) VALUES ($1, $2)").bind(id).bind(tag)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await
        })?;
    }
    crate::builds::index_missing_words(db).await?;
    db.optimize().await?;
    Ok(ids)
}
