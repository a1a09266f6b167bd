#pragma once
// A thin RAII layer over the SQLite C API: a connection, prepared statements with typed binds,
// and transactions that nest through savepoints. SQLite result codes become Errors here, once.

#include "util/expected.h"

#include <cstdint>
#include <optional>
#include <span>
#include <sqlite3.h>
#include <string>
#include <string_view>
#include <vector>

namespace ptxwb::store {

class SqliteConnection;

/// A prepared statement. Bind indices are 1-based, as in SQLite.
class Statement {
public:
    Statement() = default;
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, std::span<const std::byte> blob);
    Statement& bindNull(int index);
    template <typename T>
    Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bindNull(index);
    }
    Statement& bind(int index, const std::string& text) {
        return bind(index, std::string_view(text));
    }
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, int value) { return bind(index, std::int64_t{value}); }
    Statement& bind(int index, std::uint32_t value) { return bind(index, std::int64_t{value}); }
    /// Binds all arguments to indices 1..N.
    template <typename... Args>
    Statement& bindAll(const Args&... args) {
        int i = 0;
        (bind(++i, args), ...);
        return *this;
    }

    /// Runs one step: true when a row is available, false when done.
    Expected<bool> step();
    /// Runs a statement that returns no rows to completion.
    Status run();
    /// Resets for re-execution with new binds.
    void reset();

    [[nodiscard]] bool isNull(int col) const;
    [[nodiscard]] std::int64_t int64(int col) const;
    [[nodiscard]] double real(int col) const;
    [[nodiscard]] std::string text(int col) const;
    [[nodiscard]] std::span<const std::byte> blob(int col) const;
    [[nodiscard]] std::optional<std::int64_t> optionalInt64(int col) const;

private:
    friend class SqliteConnection;
    Statement(sqlite3_stmt* stmt, SqliteConnection* connection)
        : stmt_(stmt), connection_(connection) {}
    sqlite3_stmt* stmt_ = nullptr;
    SqliteConnection* connection_ = nullptr;
};

/// One open database connection.
class SqliteConnection {
public:
    /// `flags` are SQLITE_OPEN_* flags; SQLITE_OPEN_NOMUTEX is added (one thread per connection).
    static Expected<SqliteConnection> open(const std::string& path, int flags);
    /// A private in-memory database.
    static Expected<SqliteConnection> openMemory();

    SqliteConnection() = default;
    SqliteConnection(SqliteConnection&& other) noexcept;
    SqliteConnection& operator=(SqliteConnection&& other) noexcept;
    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;
    ~SqliteConnection();

    [[nodiscard]] sqlite3* handle() const { return db_; }
    [[nodiscard]] const std::string& path() const { return path_; }

    /// Runs one or more statements that return no rows.
    Status exec(std::string_view sql);
    Expected<Statement> prepare(std::string_view sql);
    /// A single integer result (e.g. PRAGMA user_version).
    Expected<std::int64_t> queryInt(std::string_view sql);
    /// The error for the connection's last failure, classified: a damaged or foreign file is
    /// BadInput, a lock held too long or a full disk is Environment, everything else Internal.
    [[nodiscard]] Error lastError(const std::string& context) const;
    [[nodiscard]] bool inTransaction() const;

private:
    sqlite3* db_ = nullptr;
    std::string path_;
};

/// Classifies an SQLite result code as an error kind (see SqliteConnection::lastError).
ErrorKind errorKindForSqlite(int code);

/// BEGIN IMMEDIATE at the outermost level (so a writer takes the write lock up front and waits
/// in busy_timeout instead of failing on upgrade), a SAVEPOINT when nested. Rolls back unless
/// commit() succeeded.
class Transaction {
public:
    static Expected<Transaction> begin(SqliteConnection& connection);
    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    Transaction(const Transaction&) = delete;
    ~Transaction();
    Status commit();

private:
    Transaction(SqliteConnection* connection, bool nested)
        : connection_(connection), nested_(nested) {}
    SqliteConnection* connection_ = nullptr;
    bool nested_ = false;
    bool open_ = true;
};

} // namespace ptxwb::store
