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
//! pool (`Store::unique`).
//!
//! Read-only by construction (`SQLITE_OPEN_READ_ONLY`): writes go through the
//! writer. Only reads that touch a handful of index entries belong here — one that
//! scans would hold a runtime thread for its whole length; those use `Store::db`.

use std::{
    collections::HashMap,
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

/// Read-only connections to one SQLite file, used on the calling thread.
pub struct InlineReads {
    conns: Vec<Mutex<Connection>>,
    next: AtomicUsize,
}

impl std::fmt::Debug for InlineReads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "InlineReads({} connections)", self.conns.len())
    }
}

/// A result row's values by column name.
type Row = HashMap<String, Value>;

impl InlineReads {
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
        })
    }

    /// The models a select returns.
    pub fn models<E: EntityTrait>(&self, q: Select<E>) -> Result<Vec<E::Model>, DbErr>
    where
        E::ActiveModel: TryIntoModel<E::Model>,
    {
        let st = q.build(DbBackend::Sqlite);
        let mut out = vec![];
        self.each_row(&st, |row| {
            out.push(model::<E>(row, "")?);
            Ok(())
        })?;
        Ok(out)
    }

    /// The model pairs a select of two related entities returns.
    pub fn model_pairs<E: EntityTrait, F: EntityTrait>(
        &self,
        q: SelectTwo<E, F>,
    ) -> Result<Vec<(E::Model, Option<F::Model>)>, DbErr>
    where
        E::ActiveModel: TryIntoModel<E::Model>,
        F::ActiveModel: TryIntoModel<F::Model>,
    {
        let st = q.build(DbBackend::Sqlite);
        let mut out = vec![];
        self.each_row(&st, |row| {
            // SeaORM names the columns of a two-entity select `A_…` and `B_…`; the
            // related row is absent when its primary key is NULL.
            let a = model::<E>(row, "A_")?;
            let b_key = <F::PrimaryKey as Iterable>::iter()
                .next()
                .map(|k| format!("B_{}", sea_orm::PrimaryKeyToColumn::into_column(k).as_str()));
            let b_present = b_key.and_then(|k| row.get(&k)).is_some_and(|v| !is_null(v));
            let b = if b_present {
                Some(model::<F>(row, "B_")?)
            } else {
                None
            };
            out.push((a, b));
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row of a statement, each value as SQLite holds it (integers as
    /// `BigInt`, text as `String`), by column name.
    pub fn first_row(&self, st: &Statement) -> Result<Option<Row>, DbErr> {
        let mut first = None;
        self.each_row(st, |row| {
            if first.is_none() {
                first = Some(std::mem::take(row));
            }
            Ok(())
        })?;
        Ok(first)
    }

    fn each_row(
        &self,
        st: &Statement,
        mut f: impl FnMut(&mut Row) -> Result<(), DbErr>,
    ) -> Result<(), DbErr> {
        self.with(|c| -> Result<(), DbErr> {
            let mut stmt = c.prepare_cached(&st.sql).map_err(err)?;
            let names: Vec<String> = stmt.column_names().into_iter().map(str::to_owned).collect();
            let values = st.values.as_ref().map(|v| v.0.as_slice()).unwrap_or(&[]);
            let mut rows = stmt
                .query(rusqlite::params_from_iter(values.iter().map(Bind)))
                .map_err(err)?;
            let mut row = Row::with_capacity(names.len());
            while let Some(r) = rows.next().map_err(err)? {
                row.clear();
                for (i, name) in names.iter().enumerate() {
                    row.insert(name.clone(), stored(r.get_ref(i).map_err(err)?));
                }
                f(&mut row)?;
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

fn open(path: &str, mmap_size: u64) -> rusqlite::Result<Connection> {
    let c = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // A reader meets a lock only in WAL's rare edge cases (a checkpoint resetting
    // the log); it waits briefly rather than failing.
    c.busy_timeout(Duration::from_secs(5))?;
    c.execute_batch(&format!("PRAGMA mmap_size = {mmap_size};"))?;
    // Every distinct statement of the hot paths stays prepared.
    c.set_prepared_statement_cache_capacity(256);
    Ok(c)
}

fn err(e: rusqlite::Error) -> DbErr {
    DbErr::Query(RuntimeErr::Internal(format!("inline read: {e}")))
}

fn is_null(v: &Value) -> bool {
    matches!(
        v,
        Value::BigInt(None) | Value::String(None) | Value::Double(None) | Value::Bytes(None)
    )
}

/// A value as SQLite stores it.
fn stored(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::String(None),
        ValueRef::Integer(i) => Value::BigInt(Some(i)),
        ValueRef::Real(f) => Value::Double(Some(f)),
        ValueRef::Text(t) => Value::String(Some(String::from_utf8_lossy(t).into_owned())),
        ValueRef::Blob(b) => Value::Bytes(Some(b.to_vec())),
    }
}

/// The model of entity `E` in a row whose columns are named `{prefix}{column}`.
fn model<E: EntityTrait>(row: &Row, prefix: &str) -> Result<E::Model, DbErr>
where
    E::ActiveModel: TryIntoModel<E::Model>,
{
    let mut am = E::ActiveModel::default();
    for c in E::Column::iter() {
        let name = format!("{prefix}{}", c.as_str());
        let v = row
            .get(&name)
            .ok_or_else(|| DbErr::Type(format!("no column {name} in the row")))?;
        am.try_set(c, typed(v, c.def().get_column_type()))?;
    }
    am.try_into_model()
}

/// A stored value as the `Value` variant its entity column reads.
fn typed(v: &Value, t: &ColumnType) -> Value {
    let int = match v {
        Value::BigInt(i) => Some(*i),
        _ => None,
    };
    match (t, int) {
        (ColumnType::Integer, Some(i)) => Value::Int(i.and_then(|i| i32::try_from(i).ok())),
        (ColumnType::SmallInteger, Some(i)) => {
            Value::SmallInt(i.and_then(|i| i16::try_from(i).ok()))
        }
        (ColumnType::Boolean, Some(i)) => Value::Bool(i.map(|i| i != 0)),
        (ColumnType::BigInteger, Some(i)) => Value::BigInt(i),
        // NULL is stored as `String(None)`: the null of the column's type.
        (_, None) if is_null(v) => match t {
            ColumnType::Integer => Value::Int(None),
            ColumnType::SmallInteger => Value::SmallInt(None),
            ColumnType::BigInteger => Value::BigInt(None),
            ColumnType::Boolean => Value::Bool(None),
            ColumnType::Double => Value::Double(None),
            ColumnType::Blob | ColumnType::Binary(_) | ColumnType::VarBinary(_) => {
                Value::Bytes(None)
            }
            _ => Value::String(None),
        },
        _ => v.clone(),
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
