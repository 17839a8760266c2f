use thiserror::Error;

/// Everything a repository call can fail with, in terms the service layer can act on.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The row asked for does not exist.
    #[error("not found")]
    NotFound,
    /// A unique constraint refused the write; carries the constraint (or index) name so the
    /// service can say which field clashed.
    #[error("conflict on {0}")]
    Conflict(String),
    /// A foreign key refused the write (a referenced row is missing or still referenced).
    #[error("reference violation on {0}")]
    ForeignKey(String),
    /// The database cannot be reached right now (pool timeout, connection refused, I/O).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A stored value could not be decoded (e.g. a JSON column that is not valid JSON).
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
    /// The connection string or options are unusable.
    #[error("invalid database configuration: {0}")]
    Config(String),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// The data a caller streamed into a write could not be read (its file failed).
    #[error("reading the data to store failed: {0}")]
    Source(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        use sqlx::error::ErrorKind;
        match err {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                StoreError::Unavailable(err.to_string())
            }
            sqlx::Error::Database(ref db) => {
                let name = db
                    .constraint()
                    .map(str::to_owned)
                    .unwrap_or_else(|| db.message().to_owned());
                match db.kind() {
                    ErrorKind::UniqueViolation => StoreError::Conflict(name),
                    ErrorKind::ForeignKeyViolation => StoreError::ForeignKey(name),
                    _ => StoreError::Database(err),
                }
            }
            other => StoreError::Database(other),
        }
    }
}

impl StoreError {
    /// True when the error is about the database being unreachable rather than the request.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, StoreError::Unavailable(_))
    }
}
