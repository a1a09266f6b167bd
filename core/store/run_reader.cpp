// HistoryStore::loadRun and the shared readers of run rows.
#include "store/history_store.h"
#include "store/run_row.h"

#include <cmath>
#include <fmt/format.h>
#include <zstd.h>

namespace ptxwb::store {

namespace detail {

Expected<nlohmann::json> parseJsonColumn(const std::string& text, const std::string& dbPath,
                                         const std::string& what) {
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded()) {
        return makeError(ErrorKind::BadInput, fmt::format("{}: stored JSON is malformed", what),
                         ErrorLocation::file(dbPath));
    }
    return j;
}

std::optional<std::vector<std::string>> decodeStringArray(std::string_view json) {
    std::vector<std::string> out;
    std::size_t i = 0;
    auto skipSpace = [&] {
        while (i < json.size() && (json[i] == ' ' || json[i] == '\n' || json[i] == '\t'))
            ++i;
    };
    auto hex = [&](std::size_t at) -> int {
        int v = 0;
        for (std::size_t k = at; k < at + 4; ++k) {
            char c = json[k];
            v = v * 16 + (c >= '0' && c <= '9'   ? c - '0'
                          : c >= 'a' && c <= 'f' ? c - 'a' + 10
                          : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                 : -1000000);
        }
        return v;
    };
    skipSpace();
    if (i >= json.size() || json[i++] != '[') return std::nullopt;
    skipSpace();
    if (i < json.size() && json[i] == ']') return out;
    for (;;) {
        skipSpace();
        if (i >= json.size() || json[i++] != '"') return std::nullopt;
        std::string item;
        for (;;) {
            if (i >= json.size()) return std::nullopt;
            char c = json[i++];
            if (c == '"') break;
            if (c != '\\') {
                item += c;
                continue;
            }
            if (i >= json.size()) return std::nullopt;
            char e = json[i++];
            switch (e) {
            case '"':
                item += '"';
                break;
            case '\\':
                item += '\\';
                break;
            case '/':
                item += '/';
                break;
            case 'b':
                item += '\b';
                break;
            case 'f':
                item += '\f';
                break;
            case 'n':
                item += '\n';
                break;
            case 'r':
                item += '\r';
                break;
            case 't':
                item += '\t';
                break;
            case 'u': {
                if (i + 4 > json.size()) return std::nullopt;
                int v = hex(i);
                i += 4;
                if (v < 0 || (v >= 0xD800 && v <= 0xDFFF)) return std::nullopt;
                if (v < 0x80) {
                    item += static_cast<char>(v);
                } else if (v < 0x800) {
                    item += static_cast<char>(0xC0 | (v >> 6));
                    item += static_cast<char>(0x80 | (v & 0x3F));
                } else {
                    item += static_cast<char>(0xE0 | (v >> 12));
                    item += static_cast<char>(0x80 | ((v >> 6) & 0x3F));
                    item += static_cast<char>(0x80 | (v & 0x3F));
                }
                break;
            }
            default:
                return std::nullopt;
            }
        }
        out.push_back(std::move(item));
        skipSpace();
        if (i >= json.size()) return std::nullopt;
        char sep = json[i++];
        if (sep == ']') break;
        if (sep != ',') return std::nullopt;
    }
    skipSpace();
    if (i != json.size()) return std::nullopt;
    return out;
}

Expected<RunSummary> readRunSummary(const Statement& row, const std::string& dbPath,
                                    std::int64_t* rowId) {
    RunSummary s;
    if (rowId) *rowId = row.int64(0);
    s.uuid = row.text(1);
    s.command = row.text(2);
    const std::string argvText = row.text(3);
    if (auto fast = decodeStringArray(argvText)) {
        s.commandLine = std::move(*fast);
    } else {
        PTXWB_TRY(auto argv, parseJsonColumn(argvText, dbPath, "run " + s.uuid + " command line"));
        if (argv.is_array()) {
            for (const auto& a : argv) {
                if (a.is_string()) s.commandLine.push_back(a.get<std::string>());
            }
        }
    }
    s.startedUnixMs = row.int64(4);
    s.endedUnixMs = row.int64(5);
    auto status = parseRunStatus(row.text(6));
    if (!status) {
        return makeError(ErrorKind::BadInput,
                         fmt::format("run {}: unknown status '{}'", s.uuid, row.text(6)),
                         ErrorLocation::file(dbPath));
    }
    s.status = *status;
    s.statusReason = row.text(7);
    Environment& e = s.environment;
    e.host = row.text(8);
    e.gpuName = row.text(9);
    e.gpuUuid = row.text(10);
    e.smArch = row.text(11);
    e.driverVersion = row.text(12);
    e.toolkitVersion = row.text(13);
    e.ptxwbVersion = row.text(14);
    e.gitRevision = row.text(15);
    e.kernelSetName = row.text(16);
    e.kernelSetHash = row.text(17);
    e.modelName = row.text(18);
    e.modelHash = row.text(19);
    if (auto seed = row.optionalInt64(20)) e.seed = static_cast<std::uint64_t>(*seed);
    s.checkCount = static_cast<std::uint32_t>(row.int64(21));
    s.failedCheckCount = static_cast<std::uint32_t>(row.int64(22));
    s.findingCount = static_cast<std::uint32_t>(row.int64(23));
    return s;
}

} // namespace detail

namespace {

template <typename T>
Expected<T> parseEnum(std::optional<T> value, const std::string& text, const std::string& what,
                      const std::string& dbPath) {
    if (!value) {
        return makeError(ErrorKind::BadInput, fmt::format("{}: unknown value '{}'", what, text),
                         ErrorLocation::file(dbPath));
    }
    return *value;
}

Expected<std::vector<ElementMismatch>>
mismatchesFromJson(const nlohmann::json& j, const std::string& what, const std::string& dbPath) {
    std::vector<ElementMismatch> out;
    if (!j.is_array()) return out;
    for (const auto& m : j) {
        ElementMismatch e;
        e.row = m.value("row", 0U);
        e.col = m.value("col", 0U);
        std::string cat = m.value("category", "mismatch");
        PTXWB_TRY(e.category, parseEnum(parseCategory(cat), cat, what, dbPath));
        // NaN and Inf were written as JSON null.
        e.expected = m.contains("expected") && m["expected"].is_number()
                         ? m["expected"].get<double>()
                         : std::nan("");
        e.actual = m.contains("actual") && m["actual"].is_number() ? m["actual"].get<double>()
                                                                   : std::nan("");
        e.ulp = m.value("ulp", 0U);
        out.push_back(e);
    }
    return out;
}

std::vector<RelatedLocation> relatedFromJson(const nlohmann::json& j) {
    std::vector<RelatedLocation> out;
    if (!j.is_array()) return out;
    for (const auto& r : j) {
        RelatedLocation loc;
        loc.file = r.value("file", "");
        loc.line = r.value("line", 0U);
        loc.column = r.value("column", 0U);
        loc.endLine = r.value("endLine", 0U);
        loc.endColumn = r.value("endColumn", 0U);
        loc.message = r.value("message", "");
        out.push_back(std::move(loc));
    }
    return out;
}

} // namespace

Expected<Run> HistoryStore::loadRun(const std::string& uuid, const LoadOptions& options) {
    PTXWB_TRY(auto stmt, db_.prepare(fmt::format("SELECT {} FROM run r WHERE r.uuid = ?",
                                                 detail::kRunSummaryColumns)));
    stmt.bindAll(uuid);
    PTXWB_TRY(bool found, stmt.step());
    if (!found) {
        return makeError(ErrorKind::Usage, fmt::format("no run {} in the history", uuid),
                         ErrorLocation::file(path_));
    }
    std::int64_t runId = 0;
    PTXWB_TRY(auto summary, detail::readRunSummary(stmt, path_, &runId));
    Run run;
    run.uuid = summary.uuid;
    run.command = summary.command;
    run.commandLine = summary.commandLine;
    run.startedUnixMs = summary.startedUnixMs;
    run.endedUnixMs = summary.endedUnixMs;
    run.status = summary.status;
    run.statusReason = summary.statusReason;
    run.environment = summary.environment;
    PTXWB_CHECK(loadResults(runId, run, options));
    return run;
}

Expected<std::optional<MismatchMap>> HistoryStore::loadMismatchMap(const std::string& uuid,
                                                                   CheckKind kind,
                                                                   const std::string& checkName) {
    PTXWB_TRY(auto stmt, db_.prepare("SELECT m.encoded IS NOT NULL, m.encoded FROM run r "
                                     "JOIN check_result c ON c.run_id = r.id "
                                     "LEFT JOIN mismatch_map m ON m.check_id = c.id "
                                     "WHERE r.uuid = ? AND c.kind = ? AND c.name = ?"));
    stmt.bindAll(uuid, checkKindName(kind), checkName);
    PTXWB_TRY(bool found, stmt.step());
    if (!found) {
        return makeError(
            ErrorKind::Usage,
            fmt::format("run {} has no {} check '{}'", uuid, checkKindName(kind), checkName),
            ErrorLocation::file(path_));
    }
    if (stmt.int64(0) == 0) return std::optional<MismatchMap>();
    auto map = decodeMismatchMap(stmt.blob(1), path_);
    if (!map) {
        return Unexpected{
            std::move(map.error()).withContext(fmt::format("run {} check '{}'", uuid, checkName))};
    }
    return std::optional<MismatchMap>(std::move(*map));
}

Expected<std::string> HistoryStore::ptxText(const std::string& hash) {
    PTXWB_TRY(auto stmt, db_.prepare("SELECT byte_size, zstd FROM ptx_text WHERE hash = ?"));
    stmt.bindAll(hash);
    PTXWB_TRY(bool found, stmt.step());
    if (!found) {
        return makeError(ErrorKind::Usage, fmt::format("no PTX text with hash {}", hash),
                         ErrorLocation::file(path_));
    }
    auto size = static_cast<std::size_t>(stmt.int64(0));
    auto frame = stmt.blob(1);
    std::string text(size, '\0');
    std::size_t got = ZSTD_decompress(text.data(), text.size(), frame.data(), frame.size());
    if (ZSTD_isError(got) || got != size) {
        return makeError(ErrorKind::BadInput,
                         fmt::format("PTX text {} is damaged in the history", hash),
                         ErrorLocation::file(path_));
    }
    return text;
}

Status HistoryStore::loadResults(std::int64_t runId, Run& run, const LoadOptions& options) {
    const std::string where = "run " + run.uuid;
    {
        PTXWB_TRY(auto stmt, db_.prepare("SELECT key, value FROM run_label WHERE run_id = ?"));
        stmt.bindAll(runId);
        for (;;) {
            PTXWB_TRY(bool row, stmt.step());
            if (!row) break;
            run.labels[stmt.text(0)] = stmt.text(1);
        }
    }
    {
        PTXWB_TRY(auto stmt, db_.prepare("SELECT name, entry, source_path, ptx_hash FROM "
                                         "run_kernel WHERE run_id = ? ORDER BY name"));
        stmt.bindAll(runId);
        for (;;) {
            PTXWB_TRY(bool row, stmt.step());
            if (!row) break;
            KernelSource k{stmt.text(0), stmt.text(1), stmt.text(2), stmt.text(3), {}};
            if (options.ptxTexts && !k.ptxHash.empty()) {
                PTXWB_TRY(k.ptxText, ptxText(k.ptxHash));
            }
            run.kernels.push_back(std::move(k));
        }
    }
    {
        PTXWB_TRY(
            auto stmt,
            db_.prepare(
                "SELECT c.kind, c.name, c.kernels, c.status, c.n_identical, c.n_within_contract, "
                "c.n_mismatch, c.n_nan_inf, c.n_unwritten, c.n_overrun, c.max_ulp, c.max_rel_err, "
                "c.first_mismatches, c.evidence, c.id FROM check_result c "
                "WHERE c.run_id = ? ORDER BY c.seq"));
        PTXWB_TRY(auto mapStmt, db_.prepare("SELECT encoded FROM mismatch_map WHERE check_id = ?"));
        stmt.bindAll(runId);
        for (;;) {
            PTXWB_TRY(bool row, stmt.step());
            if (!row) break;
            Check c;
            const std::string what = fmt::format("{} check '{}'", where, stmt.text(1));
            PTXWB_TRY(c.kind, parseEnum(parseCheckKind(stmt.text(0)), stmt.text(0), what, path_));
            c.name = stmt.text(1);
            const std::string kernelsText = stmt.text(2);
            if (auto fast = detail::decodeStringArray(kernelsText)) {
                c.kernels = std::move(*fast);
            } else {
                PTXWB_TRY(auto kernels, detail::parseJsonColumn(kernelsText, path_, what));
                if (kernels.is_array()) {
                    for (const auto& k : kernels) {
                        if (k.is_string()) c.kernels.push_back(k.get<std::string>());
                    }
                }
            }
            PTXWB_TRY(c.status,
                      parseEnum(parseCheckStatus(stmt.text(3)), stmt.text(3), what, path_));
            for (std::size_t i = 0; i < kElementCategoryCount; ++i) {
                c.counts.byCategory[i] =
                    static_cast<std::uint64_t>(stmt.int64(4 + static_cast<int>(i)));
            }
            c.maxUlp = static_cast<std::uint32_t>(stmt.int64(10));
            c.maxRelError = stmt.real(11);
            PTXWB_TRY(auto first, detail::parseJsonColumn(stmt.text(12), path_, what));
            PTXWB_TRY(c.firstMismatches, mismatchesFromJson(first, what, path_));
            PTXWB_TRY(c.evidence, detail::parseJsonColumn(stmt.text(13), path_, what));
            if (options.mismatchMaps) {
                mapStmt.bindAll(stmt.int64(14));
                PTXWB_TRY(bool has, mapStmt.step());
                if (has) {
                    auto map = decodeMismatchMap(mapStmt.blob(0), path_);
                    if (!map) return Unexpected{std::move(map.error()).withContext(what)};
                    c.mismatchMap = std::move(*map);
                }
                mapStmt.reset();
            }
            run.checks.push_back(std::move(c));
        }
    }
    {
        PTXWB_TRY(
            auto stmt,
            db_.prepare(
                "SELECT rule_id, severity, kernel, file, line, col, end_line, end_col, message, "
                "related, fix_hint FROM finding WHERE run_id = ? ORDER BY seq"));
        stmt.bindAll(runId);
        for (;;) {
            PTXWB_TRY(bool row, stmt.step());
            if (!row) break;
            Finding f;
            f.ruleId = stmt.text(0);
            PTXWB_TRY(f.severity, parseEnum(parseSeverity(stmt.text(1)), stmt.text(1),
                                            where + " finding " + f.ruleId, path_));
            f.kernel = stmt.text(2);
            f.file = stmt.text(3);
            f.line = static_cast<std::uint32_t>(stmt.int64(4));
            f.column = static_cast<std::uint32_t>(stmt.int64(5));
            f.endLine = static_cast<std::uint32_t>(stmt.int64(6));
            f.endColumn = static_cast<std::uint32_t>(stmt.int64(7));
            f.message = stmt.text(8);
            PTXWB_TRY(auto related, detail::parseJsonColumn(stmt.text(9), path_, where));
            f.related = relatedFromJson(related);
            f.fixHint = stmt.text(10);
            run.findings.push_back(std::move(f));
        }
    }
    {
        PTXWB_TRY(
            auto stmt,
            db_.prepare(
                "SELECT seq, layer, op, kernel, entry, grid_x, grid_y, grid_z, block_x, block_y, "
                "block_z, shared_bytes, registers, scalar_params, position_path, position_value, "
                "duration_us, phase, from_graph FROM trace_launch WHERE run_id = ? ORDER BY seq"));
        stmt.bindAll(runId);
        for (;;) {
            PTXWB_TRY(bool row, stmt.step());
            if (!row) break;
            TraceLaunch t;
            auto u32 = [&](int col) { return static_cast<std::uint32_t>(stmt.int64(col)); };
            t.seq = u32(0);
            t.layer = static_cast<int>(stmt.int64(1));
            t.op = stmt.text(2);
            t.kernel = stmt.text(3);
            t.entry = stmt.text(4);
            t.grid = {u32(5), u32(6), u32(7)};
            t.block = {u32(8), u32(9), u32(10)};
            t.sharedBytes = u32(11);
            t.registers = u32(12);
            PTXWB_TRY(t.scalarParams, detail::parseJsonColumn(stmt.text(13), path_, where));
            t.positionPath = stmt.text(14);
            t.positionValue = stmt.optionalInt64(15);
            t.durationUs = stmt.real(16);
            t.phase = stmt.text(17);
            t.fromGraph = stmt.int64(18) != 0;
            run.traceLaunches.push_back(std::move(t));
        }
    }
    {
        PTXWB_TRY(
            auto stmt,
            db_.prepare(
                "SELECT layer, tensor, status, mismatched_elements, max_abs_diff, expected_length, "
                "actual_length, message FROM kv_validation WHERE run_id = ? ORDER BY seq"));
        stmt.bindAll(runId);
        for (;;) {
            PTXWB_TRY(bool row, stmt.step());
            if (!row) break;
            KvValidation kv;
            kv.layer = static_cast<int>(stmt.int64(0));
            kv.tensor = stmt.text(1);
            PTXWB_TRY(kv.status, parseEnum(parseCheckStatus(stmt.text(2)), stmt.text(2),
                                           where + " KV validation", path_));
            kv.mismatchedElements = static_cast<std::uint64_t>(stmt.int64(3));
            kv.maxAbsDiff = stmt.real(4);
            kv.expectedLength = stmt.int64(5);
            kv.actualLength = stmt.int64(6);
            kv.message = stmt.text(7);
            run.kvValidations.push_back(std::move(kv));
        }
    }
    return {};
}

} // namespace ptxwb::store
