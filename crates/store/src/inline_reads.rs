//! Short reads on SQLite, run on the calling thread.
//!
//! sqlx's SQLite driver gives every connection a thread of its own: each statement,
//! and each result row, crosses from the request's task to that thread and back —
//! two or more wake-ups of a sleeping thread per statement. For the reads every
//! request makes (its token or session, its user and organisation, the case it
//! opens, a page of the caseload) those wake-ups cost more than the reads themselves
//! (bench/cases/RESULTS.md). Here such reads run the way SQLite is meant to be used
//! in-process: a few read-only connections, each statement executed where it is
//! asked for, as limit-bench's readers do.
//!
//! It stays one SeaORM code path: the statements are the SeaORM selects the rest of
//! the store builds (`Select::build`), and rows become models through SeaORM's own
//! `ActiveModel::try_set` / `try_into_model`, each value typed by its entity
//! column. On PostgreSQL, and on SQLite without a file, the same selects run on the
//! pool (`read.rs` chooses for every read).
//!
//! Read-only by construction (`SQLITE_OPEN_READ_ONLY`): writes go through the
//! writer. Only reads that touch a handful of index entries belong here — one that
//! scans would hold a runtime thread for its whole length; those use `Store::db`.

use std::{
    sync::{
        Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use rusqlite::{
    Connection, OpenFlags,
    types::{ToSqlOutput, ValueRef},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ColumnType, DbBackend, DbErr, EntityTrait, IdenStatic, Iterable,
    QueryTrait, RuntimeErr, Select, SelectTwo, Statement, TryIntoModel, Value,
};

/// The database file of a `sqlite:` URL, if it names one (not an in-memory
/// database, which other connections cannot open).
pub fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && !path.contains(":memory:") && !url.contains("mode=memory")).then_some(path)
}

/// Two sets of read-only connections to one SQLite file, used on the calling
/// thread, which differ only in how they read the file.
#[derive(Debug)]
pub struct InlineReads {
    /// For lookups by key, which touch a few pages each: read into SQLite's page
    /// cache. A memory-mapped reader unmaps and maps the whole file again after
    /// every commit by anyone, and under the case page's audit commits that churn
    /// (page-table teardown, faults, TLB shootdowns) was a quarter of the server's
    /// time; unmapped, the case page served ~25 % more (bench/cases/RESULTS.md).
    pub keyed: Readers,
    /// For caseload pages, which touch a hundred or more pages each: read in place
    /// from the memory-mapped file, measured ~30 % faster than through the cache.
    pub ranges: Readers,
}

impl InlineReads {
    pub fn open(path: &str, mmap_size: u64) -> Result<Self, DbErr> {
        Ok(Self {
            keyed: Readers::open(path, 0)?,
            ranges: Readers::open(path, mmap_size)?,
        })
    }
}

/// Read-only connections to one SQLite file, used on the calling thread.
pub struct Readers {
    conns: Vec<Mutex<Connection>>,
    next: AtomicUsize,
    /// Statements run, for tests that hold an operation to a number of statements
    /// (the pool's are counted by SeaORM's metric callback).
    #[cfg(feature = "testing")]
    pub(crate) executed: AtomicUsize,
}

impl std::fmt::Debug for Readers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Readers({} connections)", self.conns.len())
    }
}

impl Readers {
    /// As many connections as cores: at most that many threads run reads at once.
    pub fn open(path: &str, mmap_size: u64) -> Result<Self, DbErr> {
        let n = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2)
            .max(2);
        let conns = (0..n)
            .map(|_| open(path, mmap_size).map(Mutex::new))
            .collect::<Result<Vec<_>, _>>()
            .map_err(err)?;
        Ok(Self {
            conns,
            next: AtomicUsize::new(0),
            #[cfg(feature = "testing")]
            executed: AtomicUsize::new(0),
        })
    }

    /// The models a select returns.
    pub fn models<E: EntityTrait>(&self, q: Select<E>) -> Result<Vec<E::Model>, DbErr>
    where
        E::ActiveModel: TryIntoModel<E::Model>,
    {
        self.models_of::<E>(&q.build(DbBackend::Sqlite))
    }

    /// The models of `E` in the rows of a statement that selects its columns by
    /// their names.
    pub fn models_of<E: EntityTrait>(&self, st: &Statement) -> Result<Vec<E::Model>, DbErr>
    where
        E::ActiveModel: TryIntoModel<E::Model>,
    {
        let mut at = vec![];
        let mut out = vec![];
        self.each_row(st, |names, row| {
            if at.is_empty() {
                at = positions::<E>(names, "")?;
            }
            out.push(model::<E>(row, &at)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// The model pairs a select of two related entities returns.
    pub fn model_pairs<E: EntityTrait, F: EntityTrait>(
        &self,
        q: SelectTwo<E, F>,
    ) -> Result<Vec<Pair<E, F>>, DbErr>
    where
        E::ActiveModel: TryIntoModel<E::Model>,
        F::ActiveModel: TryIntoModel<F::Model>,
    {
        let st = q.build(DbBackend::Sqlite);
        let (mut at_a, mut at_b) = (vec![], vec![]);
        // Where the related row's primary key is: the row is absent when it is NULL.
        let mut b_key = None;
        let mut out = vec![];
        self.each_row(&st, |names, row| {
            // SeaORM names the columns of a two-entity select `A_…` and `B_…`.
            if at_a.is_empty() {
                at_a = positions::<E>(names, "A_")?;
                at_b = positions::<F>(names, "B_")?;
                b_key = <F::PrimaryKey as Iterable>::iter().next().and_then(|k| {
                    let k = sea_orm::PrimaryKeyToColumn::into_column(k);
                    F::Column::iter()
                        .position(|c| c.as_str() == k.as_str())
                        .map(|p| at_b[p])
                });
            }
            let a = model::<E>(row, &at_a)?;
            let b = match b_key.map(|i| row.get_ref(i)) {
                Some(Ok(ValueRef::Null)) | None => None,
                _ => Some(model::<F>(row, &at_b)?),
            };
            out.push((a, b));
            Ok(())
        })?;
        Ok(out)
    }

    /// The first value of the first row of a statement: an integer.
    pub fn first_int(&self, st: &Statement) -> Result<Option<i64>, DbErr> {
        let mut first = None;
        self.each_row(st, |_, row| {
            if first.is_none() {
                first = Some(row.get::<_, i64>(0).map_err(err)?);
            }
            Ok(())
        })?;
        Ok(first)
    }

    /// Calls `f` with each row of a statement (and the statement's column names).
    fn each_row(
        &self,
        st: &Statement,
        mut f: impl FnMut(&[String], &rusqlite::Row<'_>) -> Result<(), DbErr>,
    ) -> Result<(), DbErr> {
        #[cfg(feature = "testing")]
        self.executed
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.with(|c| -> Result<(), DbErr> {
            let mut stmt = c.prepare_cached(&st.sql).map_err(err)?;
            let names: Vec<String> = stmt.column_names().into_iter().map(str::to_owned).collect();
            let values = st.values.as_ref().map(|v| v.0.as_slice()).unwrap_or(&[]);
            let mut rows = stmt
                .query(rusqlite::params_from_iter(values.iter().map(Bind)))
                .map_err(err)?;
            while let Some(r) = rows.next().map_err(err)? {
                f(&names, r)?;
            }
            Ok(())
        })
    }

    /// Runs `f` on a free connection: the next one in turn that is not busy, or
    /// the next in turn if all are.
    fn with<T>(&self, f: impl FnOnce(&Connection) -> T) -> T {
        let n = self.conns.len();
        let start = self.next.fetch_add(1, Ordering::Relaxed) % n;
        for i in 0..n {
            if let Ok(c) = self.conns[(start + i) % n].try_lock() {
                return f(&c);
            }
        }
        let c = self.conns[start]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&c)
    }
}

/// A row of two related entities, the second absent when nothing matched.
pub type Pair<E, F> = (<E as EntityTrait>::Model, Option<<F as EntityTrait>::Model>);

/// Page cache per connection, KiB: the hot index pages of every lookup stay in it.
const CACHE_KIB: u32 = 64 * 1024;

fn open(path: &str, mmap_size: u64) -> rusqlite::Result<Connection> {
    let c = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // A reader meets a lock only in WAL's rare edge cases (a checkpoint resetting
    // the log); it waits briefly rather than failing.
    c.busy_timeout(Duration::from_secs(5))?;
    c.execute_batch(&format!(
        "PRAGMA mmap_size = {mmap_size}; PRAGMA cache_size = -{CACHE_KIB};"
    ))?;
    // Every distinct statement of the hot paths stays prepared.
    c.set_prepared_statement_cache_capacity(256);
    Ok(c)
}

fn err(e: rusqlite::Error) -> DbErr {
    DbErr::Query(RuntimeErr::Internal(format!("inline read: {e}")))
}

/// Where each column of `E` (in `E::Column` order) is in the result, named
/// `{prefix}{column}`.
fn positions<E: EntityTrait>(names: &[String], prefix: &str) -> Result<Vec<usize>, DbErr> {
    E::Column::iter()
        .map(|c| {
            names
                .iter()
                .position(|n| n.strip_prefix(prefix) == Some(c.as_str()))
                .ok_or_else(|| DbErr::Type(format!("no column {prefix}{} in the row", c.as_str())))
        })
        .collect()
}

/// The model of entity `E` in a row, its columns at `at`.
fn model<E: EntityTrait>(row: &rusqlite::Row<'_>, at: &[usize]) -> Result<E::Model, DbErr>
where
    E::ActiveModel: TryIntoModel<E::Model>,
{
    let mut am = E::ActiveModel::default();
    for (c, i) in E::Column::iter().zip(at) {
        let v = row.get_ref(*i).map_err(err)?;
        am.try_set(c, typed(v, c.def().get_column_type()))?;
    }
    am.try_into_model()
}

/// Whether [`typed`] reads every column of `E` as its own type rather than by the
/// fallbacks (text, 64-bit integer): the test that holds the fast path equal to the
/// pool checks it for every entity, rows or none, so an entity with a column of
/// another type (JSON, UUID, a date type) fails the tests, not a request.
pub fn reads_every_column<E: EntityTrait>() -> Result<(), String> {
    for c in E::Column::iter() {
        match c.def().get_column_type() {
            ColumnType::Integer
            | ColumnType::SmallInteger
            | ColumnType::BigInteger
            | ColumnType::Boolean
            | ColumnType::Double
            | ColumnType::String(_)
            | ColumnType::Text
            | ColumnType::Char(_)
            | ColumnType::Blob
            | ColumnType::Binary(_)
            | ColumnType::VarBinary(_) => {}
            t => return Err(format!("{}: {t:?}", c.as_str())),
        }
    }
    Ok(())
}

/// A stored value as the `Value` variant its entity column reads: `i32` for
/// `Integer`, `i64` for `BigInteger`, `bool` for `Boolean`, text as `String`.
fn typed(v: ValueRef<'_>, t: &ColumnType) -> Value {
    match (v, t) {
        (ValueRef::Integer(i), ColumnType::Integer) => match i32::try_from(i) {
            Ok(i) => Value::Int(Some(i)),
            Err(_) => Value::BigInt(Some(i)),
        },
        (ValueRef::Integer(i), ColumnType::SmallInteger) => match i16::try_from(i) {
            Ok(i) => Value::SmallInt(Some(i)),
            Err(_) => Value::BigInt(Some(i)),
        },
        (ValueRef::Integer(i), ColumnType::Boolean) => Value::Bool(Some(i != 0)),
        (ValueRef::Integer(i), _) => Value::BigInt(Some(i)),
        (ValueRef::Real(f), _) => Value::Double(Some(f)),
        (ValueRef::Text(s), _) => Value::String(Some(String::from_utf8_lossy(s).into_owned())),
        (ValueRef::Blob(b), _) => Value::Bytes(Some(b.to_vec())),
        // NULL as the null of the column's type.
        (ValueRef::Null, ColumnType::Integer) => Value::Int(None),
        (ValueRef::Null, ColumnType::SmallInteger) => Value::SmallInt(None),
        (ValueRef::Null, ColumnType::BigInteger) => Value::BigInt(None),
        (ValueRef::Null, ColumnType::Boolean) => Value::Bool(None),
        (ValueRef::Null, ColumnType::Double) => Value::Double(None),
        (ValueRef::Null, ColumnType::Blob | ColumnType::Binary(_) | ColumnType::VarBinary(_)) => {
            Value::Bytes(None)
        }
        (ValueRef::Null, _) => Value::String(None),
    }
}

/// A bound parameter, as sqlx binds it.
struct Bind<'a>(&'a Value);

impl rusqlite::ToSql for Bind<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        use rusqlite::types::Value as Owned;
        let int = |i: Option<i64>| i.map_or(ToSqlOutput::Owned(Owned::Null), ToSqlOutput::from);
        Ok(match self.0 {
            Value::Bool(b) => int(b.map(i64::from)),
            Value::TinyInt(i) => int(i.map(i64::from)),
            Value::SmallInt(i) => int(i.map(i64::from)),
            Value::Int(i) => int(i.map(i64::from)),
            Value::BigInt(i) => int(*i),
            Value::TinyUnsigned(i) => int(i.map(i64::from)),
            Value::SmallUnsigned(i) => int(i.map(i64::from)),
            Value::Unsigned(i) => int(i.map(i64::from)),
            // LIMIT and OFFSET bind as u64; no row count comes near i64::MAX.
            Value::BigUnsigned(i) => int(i.map(|i| i64::try_from(i).unwrap_or(i64::MAX))),
            Value::Float(f) => f.map_or(ToSqlOutput::Owned(Owned::Null), |f| {
                ToSqlOutput::from(f64::from(f))
            }),
            Value::Double(f) => f.map_or(ToSqlOutput::Owned(Owned::Null), ToSqlOutput::from),
            Value::String(Some(s)) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Bytes(Some(b)) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
            Value::String(None) | Value::Bytes(None) => ToSqlOutput::Owned(Owned::Null),
            _ => {
                return Err(rusqlite::Error::ToSqlConversionFailure(
                    "a value type the inline reads do not bind".into(),
                ));
            }
        })
    }
}
