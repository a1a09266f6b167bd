#include "store/sqlite_connection.h"

#include <fmt/format.h>
#include <utility>

namespace ptxwb::store {

ErrorKind errorKindForSqlite(int code) {
    switch (code & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_FORMAT:
        return ErrorKind::BadInput;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_NOMEM:
        return ErrorKind::Environment;
    case SQLITE_CONSTRAINT:
        return ErrorKind::Usage;
    default:
        return ErrorKind::Internal;
    }
}

// ---- Statement ----

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), connection_(other.connection_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(stmt_);
        stmt_ = std::exchange(other.stmt_, nullptr);
        connection_ = other.connection_;
    }
    return *this;
}

Statement::~Statement() {
    sqlite3_finalize(stmt_);
}

Statement& Statement::bind(int index, std::int64_t value) {
    sqlite3_bind_int64(stmt_, index, value);
    return *this;
}
Statement& Statement::bind(int index, double value) {
    sqlite3_bind_double(stmt_, index, value);
    return *this;
}
Statement& Statement::bind(int index, std::string_view text) {
    sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    return *this;
}
Statement& Statement::bind(int index, std::span<const std::byte> blob) {
    // A zero-length blob must still be a blob, not NULL: pass a non-null pointer.
    static const std::byte empty{};
    sqlite3_bind_blob64(stmt_, index, blob.empty() ? &empty : blob.data(), blob.size(),
                        SQLITE_TRANSIENT);
    return *this;
}
Statement& Statement::bindNull(int index) {
    sqlite3_bind_null(stmt_, index);
    return *this;
}

Expected<bool> Statement::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return connection_->lastError("executing SQL");
}

Status Statement::run() {
    for (;;) {
        PTXWB_TRY(bool row, step());
        if (!row) break;
    }
    reset();
    return {};
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

bool Statement::isNull(int col) const {
    return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}
std::int64_t Statement::int64(int col) const {
    return sqlite3_column_int64(stmt_, col);
}
double Statement::real(int col) const {
    return sqlite3_column_double(stmt_, col);
}
std::string Statement::text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    int n = sqlite3_column_bytes(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n))
             : std::string();
}
std::span<const std::byte> Statement::blob(int col) const {
    const void* p = sqlite3_column_blob(stmt_, col);
    int n = sqlite3_column_bytes(stmt_, col);
    return {static_cast<const std::byte*>(p), static_cast<std::size_t>(p ? n : 0)};
}
std::optional<std::int64_t> Statement::optionalInt64(int col) const {
    if (isNull(col)) return std::nullopt;
    return int64(col);
}

// ---- SqliteConnection ----

Expected<SqliteConnection> SqliteConnection::open(const std::string& path, int flags) {
    SqliteConnection c;
    c.path_ = path;
    int rc = sqlite3_open_v2(path.c_str(), &c.db_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        Error e = c.db_ ? c.lastError("cannot open database")
                        : Error(ErrorKind::Environment, "cannot open database: out of memory");
        e.location = ErrorLocation::file(path);
        return e;
    }
    sqlite3_extended_result_codes(c.db_, 1);
    return c;
}

Expected<SqliteConnection> SqliteConnection::openMemory() {
    return open(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_MEMORY);
}

SqliteConnection::SqliteConnection(SqliteConnection&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

SqliteConnection& SqliteConnection::operator=(SqliteConnection&& other) noexcept {
    if (this != &other) {
        sqlite3_close_v2(db_);
        db_ = std::exchange(other.db_, nullptr);
        path_ = std::move(other.path_);
    }
    return *this;
}

SqliteConnection::~SqliteConnection() {
    sqlite3_close_v2(db_);
}

Status SqliteConnection::exec(std::string_view sql) {
    std::string copy(sql);
    char* message = nullptr;
    int rc = sqlite3_exec(db_, copy.c_str(), nullptr, nullptr, &message);
    sqlite3_free(message);
    if (rc != SQLITE_OK) return lastError("executing SQL");
    return {};
}

Expected<Statement> SqliteConnection::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) return lastError("preparing SQL");
    return Statement(stmt, this);
}

Expected<std::int64_t> SqliteConnection::queryInt(std::string_view sql) {
    PTXWB_TRY(auto stmt, prepare(sql));
    PTXWB_TRY(bool row, stmt.step());
    if (!row) return makeError(ErrorKind::Internal, fmt::format("no result from '{}'", sql));
    return stmt.int64(0);
}

Error SqliteConnection::lastError(const std::string& context) const {
    int code = sqlite3_extended_errcode(db_);
    std::string message = fmt::format("{}: {}", context, sqlite3_errmsg(db_));
    if ((code & 0xff) == SQLITE_NOTADB || (code & 0xff) == SQLITE_CORRUPT) {
        message += " (the file is damaged or is not a ptxwb history database; it was left as is)";
    }
    return Error(errorKindForSqlite(code), message, ErrorLocation::file(path_));
}

bool SqliteConnection::inTransaction() const {
    return sqlite3_get_autocommit(db_) == 0;
}

// ---- Transaction ----

Expected<Transaction> Transaction::begin(SqliteConnection& connection) {
    bool nested = connection.inTransaction();
    PTXWB_CHECK(connection.exec(nested ? "SAVEPOINT ptxwb_nested" : "BEGIN IMMEDIATE"));
    return Transaction(&connection, nested);
}

Transaction::Transaction(Transaction&& other) noexcept
    : connection_(other.connection_), nested_(other.nested_),
      open_(std::exchange(other.open_, false)) {}

Transaction::~Transaction() {
    if (!open_) return;
    // Best effort: a failed rollback leaves SQLite to roll back when the connection closes.
    if (nested_) {
        (void)connection_->exec("ROLLBACK TO ptxwb_nested; RELEASE ptxwb_nested");
    } else if (connection_->inTransaction()) {
        (void)connection_->exec("ROLLBACK");
    }
}

Status Transaction::commit() {
    PTXWB_CHECK(connection_->exec(nested_ ? "RELEASE ptxwb_nested" : "COMMIT"));
    open_ = false;
    return {};
}

} // namespace ptxwb::store
