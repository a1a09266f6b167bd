// HistoryStore::insertRun: the whole run, its results and its PTX texts in one transaction, so a
// crash leaves either all of the run or nothing.
#include "store/history_store.h"
#include "util/sha256.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <zstd.h>

namespace ptxwb::store {

namespace {

nlohmann::json mismatchesJson(const std::vector<ElementMismatch>& mismatches) {
    auto out = nlohmann::json::array();
    for (const auto& m : mismatches) {
        out.push_back({{"row", m.row},
                       {"col", m.col},
                       {"category", categoryName(m.category)},
                       {"expected", m.expected},
                       {"actual", m.actual},
                       {"ulp", m.ulp}});
    }
    return out;
}

nlohmann::json relatedJson(const std::vector<RelatedLocation>& related) {
    auto out = nlohmann::json::array();
    for (const auto& r : related) {
        out.push_back({{"file", r.file},
                       {"line", r.line},
                       {"column", r.column},
                       {"endLine", r.endLine},
                       {"endColumn", r.endColumn},
                       {"message", r.message}});
    }
    return out;
}

/// JSON text for a column (NaN/Inf in evidence become null, as JSON has no such numbers);
/// error_handler_t::replace keeps invalid UTF-8 in a kernel name from throwing.
std::string dumpJson(const nlohmann::json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// dumpJson of an array of strings, without building a json value when every string is plain
/// printable ASCII (kernel names, argv): per-check JSON building was a measurable part of
/// inserting a run of 1,000 checks. Anything else goes through nlohmann for exact escaping.
std::string stringArrayJson(const std::vector<std::string>& items) {
    std::string out = "[";
    for (const auto& item : items) {
        for (char ch : item) {
            if (ch < 0x20 || ch > 0x7e || ch == '"' || ch == '\\') return dumpJson(items);
        }
        if (out.size() > 1) out += ',';
        out += '"';
        out += item;
        out += '"';
    }
    return out + "]";
}

} // namespace

Status HistoryStore::insertPtxText(const KernelSource& kernel, std::string& hashOut) {
    hashOut = kernel.ptxHash;
    if (kernel.ptxText.empty()) {
        if (hashOut.empty()) return {};
        PTXWB_TRY(auto stmt, db_.prepare("SELECT 1 FROM ptx_text WHERE hash = ?"));
        stmt.bindAll(hashOut);
        PTXWB_TRY(bool found, stmt.step());
        if (!found) {
            return makeError(ErrorKind::Usage,
                             fmt::format("kernel {} refers to PTX {} which is not in the history "
                                         "and no text was given",
                                         kernel.name, hashOut));
        }
        return {};
    }
    std::string computed = Sha256::hex(kernel.ptxText);
    if (!hashOut.empty() && hashOut != computed) {
        return makeError(ErrorKind::BadInput,
                         fmt::format("kernel {}: PTX hash {} does not match its text (SHA-256 {})",
                                     kernel.name, hashOut, computed));
    }
    hashOut = computed;
    PTXWB_TRY(auto exists, db_.prepare("SELECT 1 FROM ptx_text WHERE hash = ?"));
    exists.bindAll(hashOut);
    PTXWB_TRY(bool found, exists.step());
    if (found) return {};
    std::vector<std::byte> frame(ZSTD_compressBound(kernel.ptxText.size()));
    std::size_t n =
        ZSTD_compress(frame.data(), frame.size(), kernel.ptxText.data(), kernel.ptxText.size(), 9);
    if (ZSTD_isError(n)) {
        return makeError(ErrorKind::Internal, fmt::format("compressing PTX of {}: {}", kernel.name,
                                                          ZSTD_getErrorName(n)));
    }
    frame.resize(n);
    PTXWB_TRY(auto insert,
              db_.prepare("INSERT INTO ptx_text (hash, byte_size, zstd) VALUES (?, ?, ?)"));
    insert.bindAll(hashOut, static_cast<std::int64_t>(kernel.ptxText.size()),
                   std::span<const std::byte>(frame));
    return insert.run();
}

Status HistoryStore::insertRun(const Run& run) {
    if (run.uuid.empty()) return makeError(ErrorKind::Usage, "a run needs a UUID (newRunUuid())");
    PTXWB_TRY(auto tx, Transaction::begin(db_));
    PTXWB_TRY(bool present, containsRun(run.uuid));
    if (present) {
        return makeError(ErrorKind::Usage,
                         fmt::format("run {} is already in the history", run.uuid),
                         ErrorLocation::file(path_));
    }
    const RunSummary summary = summarize(run);
    const Environment& env = run.environment;
    PTXWB_TRY(
        auto stmt,
        db_.prepare(
            "INSERT INTO run (uuid, command, command_line, started_ms, ended_ms, status, "
            "status_reason, host, gpu_name, gpu_uuid, sm_arch, driver_version, toolkit_version, "
            "ptxwb_version, git_revision, kernel_set_name, kernel_set_hash, model_name, "
            "model_hash, "
            "seed, check_count, failed_check_count, finding_count) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    std::optional<std::int64_t> seed;
    if (env.seed) seed = static_cast<std::int64_t>(*env.seed);
    stmt.bindAll(run.uuid, run.command, stringArrayJson(run.commandLine), run.startedUnixMs,
                 run.endedUnixMs, runStatusName(run.status), run.statusReason, env.host,
                 env.gpuName, env.gpuUuid, env.smArch, env.driverVersion, env.toolkitVersion,
                 env.ptxwbVersion, env.gitRevision, env.kernelSetName, env.kernelSetHash,
                 env.modelName, env.modelHash, seed, summary.checkCount, summary.failedCheckCount,
                 summary.findingCount);
    PTXWB_CHECK(stmt.run());
    const auto runId = static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_.handle()));
    if (auto st = insertResults(runId, run); !st) {
        return Unexpected{
            std::move(st.error()).withContext(fmt::format("writing run {}", run.uuid))};
    }
    return tx.commit();
}

Status HistoryStore::insertResults(std::int64_t runId, const Run& run) {
    {
        PTXWB_TRY(auto stmt,
                  db_.prepare("INSERT INTO run_label (run_id, key, value) VALUES (?,?,?)"));
        for (const auto& [key, value] : run.labels) {
            stmt.bindAll(runId, key, value);
            PTXWB_CHECK(stmt.run());
        }
    }
    {
        PTXWB_TRY(auto stmt, db_.prepare("INSERT INTO run_kernel (run_id, name, entry, "
                                         "source_path, ptx_hash) VALUES (?,?,?,?,?)"));
        for (const auto& k : run.kernels) {
            std::string hash;
            PTXWB_CHECK(insertPtxText(k, hash));
            stmt.bindAll(runId, k.name, k.entry, k.sourcePath,
                         hash.empty() ? std::optional<std::string>() : hash);
            if (auto st = stmt.run(); !st) {
                return Unexpected{std::move(st.error()).withContext("kernel " + k.name)};
            }
        }
    }
    {
        PTXWB_TRY(
            auto stmt,
            db_.prepare(
                "INSERT INTO check_result (run_id, seq, kind, name, kernels, status, n_identical, "
                "n_within_contract, n_mismatch, n_nan_inf, n_unwritten, n_overrun, max_ulp, "
                "max_rel_err, first_mismatches, evidence) VALUES "
                "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
        PTXWB_TRY(auto mapStmt,
                  db_.prepare("INSERT INTO mismatch_map (check_id, encoded) VALUES (?, ?)"));
        std::int64_t seq = 0;
        for (const auto& c : run.checks) {
            auto n = [&](ElementCategory cat) { return static_cast<std::int64_t>(c.counts[cat]); };
            stmt.bindAll(runId, seq++, checkKindName(c.kind), c.name, stringArrayJson(c.kernels),
                         checkStatusName(c.status), n(ElementCategory::Identical),
                         n(ElementCategory::WithinContract), n(ElementCategory::Mismatch),
                         n(ElementCategory::NanInf), n(ElementCategory::Unwritten),
                         n(ElementCategory::Overrun), std::int64_t{c.maxUlp}, c.maxRelError,
                         c.firstMismatches.empty() ? std::string("[]")
                                                   : dumpJson(mismatchesJson(c.firstMismatches)),
                         dumpJson(c.evidence.is_null() ? nlohmann::json::object() : c.evidence));
            if (auto st = stmt.run(); !st) {
                return Unexpected{std::move(st.error())
                                      .withContext(fmt::format("check '{}' ({})", c.name,
                                                               checkKindName(c.kind)))};
            }
            if (c.mismatchMap) {
                // Level 1: maps are mostly zeros, which every level compresses alike, and level
                // 3 made compression the largest cost of inserting a run with many maps.
                auto encoded = encodeMismatchMap(*c.mismatchMap, 1);
                mapStmt.bindAll(static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_.handle())),
                                std::span<const std::byte>(encoded));
                PTXWB_CHECK(mapStmt.run());
            }
        }
    }
    {
        PTXWB_TRY(
            auto stmt,
            db_.prepare(
                "INSERT INTO finding (run_id, seq, rule_id, severity, kernel, file, line, col, "
                "end_line, end_col, message, related, fix_hint) VALUES "
                "(?,?,?,?,?,?,?,?,?,?,?,?,?)"));
        std::int64_t seq = 0;
        for (const auto& f : run.findings) {
            stmt.bindAll(runId, seq++, f.ruleId, severityName(f.severity), f.kernel, f.file, f.line,
                         f.column, f.endLine, f.endColumn, f.message,
                         dumpJson(relatedJson(f.related)), f.fixHint);
            PTXWB_CHECK(stmt.run());
        }
    }
    {
        PTXWB_TRY(
            auto stmt,
            db_.prepare(
                "INSERT INTO trace_launch (run_id, seq, layer, op, kernel, entry, grid_x, grid_y, "
                "grid_z, block_x, block_y, block_z, shared_bytes, registers, scalar_params, "
                "position_path, position_value, duration_us, phase, from_graph) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
        for (const auto& t : run.traceLaunches) {
            stmt.bindAll(
                runId, t.seq, t.layer, t.op, t.kernel, t.entry, t.grid[0], t.grid[1], t.grid[2],
                t.block[0], t.block[1], t.block[2], t.sharedBytes, t.registers,
                dumpJson(t.scalarParams.is_null() ? nlohmann::json::object() : t.scalarParams),
                t.positionPath, t.positionValue, t.durationUs, t.phase, t.fromGraph ? 1 : 0);
            if (auto st = stmt.run(); !st) {
                return Unexpected{
                    std::move(st.error()).withContext(fmt::format("trace launch {}", t.seq))};
            }
        }
    }
    {
        PTXWB_TRY(auto stmt, db_.prepare("INSERT INTO kv_validation (run_id, seq, layer, tensor, "
                                         "status, mismatched_elements, "
                                         "max_abs_diff, expected_length, actual_length, message) "
                                         "VALUES (?,?,?,?,?,?,?,?,?,?)"));
        std::int64_t seq = 0;
        for (const auto& kv : run.kvValidations) {
            stmt.bindAll(runId, seq++, kv.layer, kv.tensor, checkStatusName(kv.status),
                         static_cast<std::int64_t>(kv.mismatchedElements), kv.maxAbsDiff,
                         kv.expectedLength, kv.actualLength, kv.message);
            PTXWB_CHECK(stmt.run());
        }
    }
    return {};
}

} // namespace ptxwb::store
