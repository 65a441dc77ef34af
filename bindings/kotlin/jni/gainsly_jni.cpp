// JNI shim between the Kotlin wrapper (app.gainsly.Native) and the C ABI (gainsly.h).
//
// Rules every entry point follows:
//  - It runs its body inside entry(), which turns every C++ exception and every failed gs_* status
//    into a pending app.gainsly.GainslyException(code, message); nothing else escapes to the JVM.
//  - Strings cross as real UTF-8 on the C side and UTF-16 on the Java side, converted here
//    (GetStringUTFChars/NewStringUTF speak *modified* UTF-8, which mangles 4-byte characters).
//    Unpaired surrogates and malformed UTF-8 become U+FFFD; an embedded U+0000 is refused.
//  - Every buffer the library returns is released with gs_string_free (Owned), also on error paths.
//  - Classes and method ids are looked up once, in JNI_OnLoad; natives are bound there with
//    RegisterNatives, so the Kotlin names are listed once, in kMethods below.
// Adding a C function: write a static function like insert() and one line in kMethods, then the
// matching `external fun` in Native.kt.
#include <jni.h>

#include <cstdint>
#include <cstring>
#include <exception>
#include <limits>
#include <mutex>
#include <new>
#include <string>
#include <unordered_map>

#include "gainsly/gainsly.h"

// Constants the Kotlin side repeats (GainslyException.kt, Documents.kt): a change in gainsly.h
// stops the build here instead of silently disagreeing.
static_assert(GS_OK == 0 && GS_ERR_INVALID == -1 && GS_ERR_NOT_FOUND == -2 && GS_ERR_CONSTRAINT == -3 &&
                  GS_ERR_INFEASIBLE == -4 && GS_ERR_IO == -5 && GS_ERR_CORRUPT == -6 && GS_ERR_BUSY == -7 &&
                  GS_ERR_SYNC == -8 && GS_ERR_AUTH == -9 && GS_ERR_VERSION == -10 && GS_ERR_INTERNAL == -11 &&
                  GS_ERR_NOMEM == -12 && GS_ERR_CANCELED == -13 && GS_ERR_READONLY == -14,
              "status codes changed: update GainslyException.kt");
static_assert(GS_IMPORT_USER_EXPORT == 0 && GS_IMPORT_CATALOG == 1 && GS_IMPORT_FREE_EXERCISE_DB == 2,
              "import formats changed: update ImportFormat in Documents.kt");

namespace {

constexpr const char* kNativeClass = "app/gainsly/Native";
constexpr const char* kExceptionClass = "app/gainsly/GainslyException";

constexpr const char* kSealerClass = "app/gainsly/TokenSealer";

jclass g_exception_class = nullptr;       // global reference, held for the life of the library
jmethodID g_exception_init = nullptr;     // GainslyException(int code, String message)
jmethodID g_sealer_seal = nullptr;        // byte[] TokenSealer.seal(byte[])
jmethodID g_sealer_open = nullptr;        // byte[] TokenSealer.open(byte[])
JavaVM* g_vm = nullptr;

// A failed call: thrown inside entry() and turned into a GainslyException.
struct Failure {
    int32_t status;
    std::string message;
};
// A Java exception is already pending (e.g. OutOfMemoryError from a JNI allocation): just return.
struct JavaPending {};

[[noreturn]] void fail(int32_t status, std::string message) { throw Failure{status, std::move(message)}; }

void append_utf8(std::string& out, uint32_t c) {
    if (c < 0x80) {
        out += char(c);
    } else if (c < 0x800) {
        out += char(0xC0 | (c >> 6));
        out += char(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += char(0xE0 | (c >> 12));
        out += char(0x80 | ((c >> 6) & 0x3F));
        out += char(0x80 | (c & 0x3F));
    } else {
        out += char(0xF0 | (c >> 18));
        out += char(0x80 | ((c >> 12) & 0x3F));
        out += char(0x80 | ((c >> 6) & 0x3F));
        out += char(0x80 | (c & 0x3F));
    }
}

// Java String (UTF-16) -> UTF-8.
std::string to_utf8(JNIEnv* env, jstring s, const char* what) {
    if (!s) fail(GS_ERR_INVALID, std::string(what) + ": must not be null");
    const jsize n = env->GetStringLength(s);
    std::u16string units(size_t(n), u'\0');
    env->GetStringRegion(s, 0, n, reinterpret_cast<jchar*>(units.data()));
    if (env->ExceptionCheck()) throw JavaPending{};
    std::string out;
    out.reserve(units.size() + units.size() / 2);
    for (size_t i = 0; i < units.size(); ++i) {
        uint32_t c = units[i];
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < units.size() && units[i + 1] >= 0xDC00 && units[i + 1] <= 0xDFFF) {
            c = 0x10000 + ((c - 0xD800) << 10) + (uint32_t(units[i + 1]) - 0xDC00);
            ++i;
        } else if (c >= 0xD800 && c <= 0xDFFF) {
            c = 0xFFFD;  // an unpaired surrogate
        } else if (c == 0) {
            fail(GS_ERR_INVALID, std::string(what) + ": contains a NUL character");
        }
        append_utf8(out, c);
    }
    return out;
}

// UTF-8 -> UTF-16, with U+FFFD for each maximal malformed subsequence.
std::u16string to_utf16(const char* s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s);
    const size_t n = std::strlen(s);
    std::u16string out;
    out.reserve(n);
    size_t i = 0;
    while (i < n) {
        const unsigned char b = p[i];
        uint32_t c;
        size_t len;
        uint32_t min;
        if (b < 0x80) {
            out += char16_t(b);
            ++i;
            continue;
        } else if (b >= 0xC2 && b <= 0xDF) {
            c = b & 0x1F, len = 2, min = 0x80;
        } else if (b >= 0xE0 && b <= 0xEF) {
            c = b & 0x0F, len = 3, min = 0x800;
        } else if (b >= 0xF0 && b <= 0xF4) {
            c = b & 0x07, len = 4, min = 0x10000;
        } else {
            out += u'\uFFFD';
            ++i;
            continue;
        }
        size_t k = 1;
        for (; k < len && i + k < n && (p[i + k] & 0xC0) == 0x80; ++k) c = (c << 6) | (p[i + k] & 0x3F);
        if (k < len || c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
            out += u'\uFFFD';
            i += k;  // skip the lead byte and the continuation bytes seen
            continue;
        }
        i += len;
        if (c >= 0x10000) {
            c -= 0x10000;
            out += char16_t(0xD800 + (c >> 10));
            out += char16_t(0xDC00 + (c & 0x3FF));
        } else {
            out += char16_t(c);
        }
    }
    return out;
}

jstring to_jstring(JNIEnv* env, const char* s) {
    const std::u16string units = to_utf16(s ? s : "");
    if (units.size() > size_t(std::numeric_limits<jsize>::max())) fail(GS_ERR_NOMEM, "string too long for Java");
    jstring r = env->NewString(reinterpret_cast<const jchar*>(units.data()), jsize(units.size()));
    if (!r) throw JavaPending{};
    return r;
}

// Leaves a GainslyException pending. Never throws; falls back to an Error if even that fails.
void throw_gainsly(JNIEnv* env, int32_t status, const char* message) noexcept {
    if (env->ExceptionCheck()) return;
    try {
        jstring text = to_jstring(env, message);
        auto ex = static_cast<jthrowable>(env->NewObject(g_exception_class, g_exception_init, jint(status), text));
        env->DeleteLocalRef(text);
        if (ex) {
            env->Throw(ex);
            env->DeleteLocalRef(ex);
        }
    } catch (...) {
    }
    if (!env->ExceptionCheck()) {
        jclass error = env->FindClass("java/lang/OutOfMemoryError");
        if (error) env->ThrowNew(error, "gainsly: could not create a GainslyException");
    }
}

// Runs body; on any failure leaves a Java exception pending and returns `fallback`.
template <class R, class Body>
R entry(JNIEnv* env, R fallback, Body&& body) noexcept {
    try {
        return body();
    } catch (const Failure& f) {
        throw_gainsly(env, f.status, f.message.c_str());
    } catch (const JavaPending&) {
    } catch (const std::bad_alloc&) {
        throw_gainsly(env, GS_ERR_NOMEM, "out of memory in the JNI shim");
    } catch (const std::exception& e) {
        throw_gainsly(env, GS_ERR_INTERNAL, e.what());
    } catch (...) {
        throw_gainsly(env, GS_ERR_INTERNAL, "unknown exception in the JNI shim");
    }
    return fallback;
}

template <class Body>
void entry_void(JNIEnv* env, Body&& body) noexcept {
    entry(env, 0, [&] {
        body();
        return 0;
    });
}

gs_db* db_of(jlong handle) { return reinterpret_cast<gs_db*>(static_cast<intptr_t>(handle)); }

// Throws the library's error for a failed status (the message is on the handle, or on this thread
// for calls without one).
void check(int32_t status, const gs_db* db) {
    if (status != GS_OK) fail(status, gs_error_message(db));
}

// A library-owned buffer, released with gs_string_free whatever happens.
struct Owned {
    char* p = nullptr;
    Owned() = default;
    Owned(const Owned&) = delete;
    Owned& operator=(const Owned&) = delete;
    ~Owned() { gs_string_free(p); }
};

// --- the natives --------------------------------------------------------------------------------

jstring version(JNIEnv* env, jclass) {
    return entry(env, jstring(nullptr), [&] { return to_jstring(env, gs_library_version()); });
}

jint schema_version(JNIEnv*, jclass) { return gs_schema_version(); }

jlong live_objects(JNIEnv*, jclass) { return gs_debug_live_objects(); }

jstring status_name(JNIEnv* env, jclass, jint status) {
    return entry(env, jstring(nullptr), [&] { return to_jstring(env, gs_status_name(status)); });
}

// gs_db_open_v2: the library's defaults (gs_db_options_init), then the caller's flags and busy timeout.
jlong open_with_options(JNIEnv* env, jclass, jstring path, jint flags, jint busy_timeout_ms) {
    return entry(env, jlong(0), [&] {
        const std::string p = to_utf8(env, path, "path");
        gs_db_options o;
        check(gs_db_options_init(&o, sizeof o), nullptr);
        o.flags = uint32_t(flags);
        o.busy_timeout_ms = busy_timeout_ms;
        gs_db* db = nullptr;
        check(gs_db_open_v2(p.c_str(), &o, &db), nullptr);
        return jlong(reinterpret_cast<intptr_t>(db));
    });
}

jlong open(JNIEnv* env, jclass, jstring path) {
    return entry(env, jlong(0), [&] {
        const std::string p = to_utf8(env, path, "path");
        gs_db* db = nullptr;
        check(gs_db_open(p.c_str(), &db), nullptr);
        return jlong(reinterpret_cast<intptr_t>(db));
    });
}

void release_sealer_of(JNIEnv* env, gs_db* db);

void close(JNIEnv* env, jclass, jlong handle) {
    entry_void(env, [&] {
        gs_db_close(db_of(handle));
        release_sealer_of(env, db_of(handle));  // after gs_db_close: the library will not call it again
    });
}

jlong insert(JNIEnv* env, jclass, jlong handle, jstring table, jstring json) {
    return entry(env, jlong(0), [&] {
        const std::string t = to_utf8(env, table, "table"), j = to_utf8(env, json, "json");
        int64_t id = 0;
        check(gs_row_insert(db_of(handle), t.c_str(), j.c_str(), &id), db_of(handle));
        return jlong(id);
    });
}

void update(JNIEnv* env, jclass, jlong handle, jstring table, jlong id, jstring json) {
    entry_void(env, [&] {
        const std::string t = to_utf8(env, table, "table"), j = to_utf8(env, json, "json");
        check(gs_row_update(db_of(handle), t.c_str(), id, j.c_str()), db_of(handle));
    });
}

void remove(JNIEnv* env, jclass, jlong handle, jstring table, jlong id) {
    entry_void(env, [&] {
        const std::string t = to_utf8(env, table, "table");
        check(gs_row_delete(db_of(handle), t.c_str(), id), db_of(handle));
    });
}

jstring get(JNIEnv* env, jclass, jlong handle, jstring table, jlong id) {
    return entry(env, jstring(nullptr), [&] {
        const std::string t = to_utf8(env, table, "table");
        Owned out;
        check(gs_row_get(db_of(handle), t.c_str(), id, &out.p), db_of(handle));
        return to_jstring(env, out.p);
    });
}

jstring select(JNIEnv* env, jclass, jlong handle, jstring table, jstring filter) {
    return entry(env, jstring(nullptr), [&] {
        const std::string t = to_utf8(env, table, "table");
        const std::string f = filter ? to_utf8(env, filter, "filter") : std::string();
        Owned out;
        check(gs_row_select(db_of(handle), t.c_str(), filter ? f.c_str() : nullptr, &out.p), db_of(handle));
        return to_jstring(env, out.p);
    });
}

jstring get_session(JNIEnv* env, jclass, jlong handle, jlong id) {
    return entry(env, jstring(nullptr), [&] {
        Owned out;
        check(gs_session_get(db_of(handle), id, &out.p), db_of(handle));
        return to_jstring(env, out.p);
    });
}

jstring export_user(JNIEnv* env, jclass, jlong handle, jlong user_id) {
    return entry(env, jstring(nullptr), [&] {
        Owned out;
        check(gs_user_export(db_of(handle), user_id, &out.p), db_of(handle));
        return to_jstring(env, out.p);
    });
}

jstring import_document(JNIEnv* env, jclass, jlong handle, jint format, jstring json) {
    return entry(env, jstring(nullptr), [&] {
        const std::string j = to_utf8(env, json, "json");
        Owned report;
        check(gs_db_import(db_of(handle), static_cast<gs_import_format>(format), j.c_str(), &report.p), db_of(handle));
        return to_jstring(env, report.p);
    });
}

void begin(JNIEnv* env, jclass, jlong handle) {
    entry_void(env, [&] { check(gs_db_begin(db_of(handle)), db_of(handle)); });
}

void commit(JNIEnv* env, jclass, jlong handle) {
    entry_void(env, [&] { check(gs_db_commit(db_of(handle)), db_of(handle)); });
}

void rollback(JNIEnv* env, jclass, jlong handle) {
    entry_void(env, [&] { check(gs_db_rollback(db_of(handle)), db_of(handle)); });
}

// A Java String that may be null, as UTF-8 (empty and `present` false for null).
struct OptionalUtf8 {
    std::string text;
    bool present = false;
    const char* c_str() const { return present ? text.c_str() : nullptr; }
};

OptionalUtf8 to_optional_utf8(JNIEnv* env, jstring s, const char* what) {
    OptionalUtf8 r;
    if (s) {
        r.text = to_utf8(env, s, what);
        r.present = true;
    }
    return r;
}

// A native that passes one string to a gs_* call on the handle and returns the library-owned text
// it gives back (an empty object when the call may return none).
jstring text_call(JNIEnv* env, jlong handle, jstring arg, const char* what, int32_t (*call)(gs_db*, const char*, char**), bool may_be_empty) {
    return entry(env, jstring(nullptr), [&] {
        const std::string a = to_utf8(env, arg, what);
        Owned out;
        check(call(db_of(handle), a.c_str(), &out.p), db_of(handle));
        return to_jstring(env, out.p ? out.p : may_be_empty ? "{}" : nullptr);
    });
}

// --- planning -------------------------------------------------------------------------------------

jstring generate_program(JNIEnv* env, jclass, jlong handle, jstring request) { return text_call(env, handle, request, "request", gs_program_generate, false); }

jstring replan_program(JNIEnv* env, jclass, jlong handle, jstring request) { return text_call(env, handle, request, "request", gs_program_replan, false); }

jstring list_substitutes(JNIEnv* env, jclass, jlong handle, jlong session_exercise_id, jint max_results) {
    return entry(env, jstring(nullptr), [&] {
        Owned out;
        check(gs_exercise_list_substitutes(db_of(handle), session_exercise_id, max_results, &out.p), db_of(handle));
        return to_jstring(env, out.p);
    });
}

jstring substitute_exercise(JNIEnv* env, jclass, jlong handle, jlong session_exercise_id, jlong movement_id) {
    return entry(env, jstring(nullptr), [&] {
        Owned out;
        check(gs_exercise_substitute(db_of(handle), session_exercise_id, movement_id, &out.p), db_of(handle));
        return to_jstring(env, out.p ? out.p : "{}");
    });
}

jstring describe_program(JNIEnv* env, jclass, jlong handle, jlong program_id) {
    return entry(env, jstring(nullptr), [&] {
        Owned out;
        check(gs_program_describe(db_of(handle), program_id, &out.p), db_of(handle));
        return to_jstring(env, out.p);
    });
}

// --- sync -----------------------------------------------------------------------------------------

// gs_sync_options from the Kotlin SyncOptions fields; `uid` must outlive the struct.
gs_sync_options sync_options(const OptionalUtf8& uid, jint batch_rows, jint timeout_ms) {
    gs_sync_options o = GS_SYNC_OPTIONS_INIT;
    o.user_uid = uid.c_str();
    o.batch_rows = batch_rows;
    o.timeout_ms = timeout_ms;
    return o;
}

jstring sync(JNIEnv* env, jclass, jlong handle, jstring conninfo, jstring user_uid, jint batch_rows, jint timeout_ms) {
    return entry(env, jstring(nullptr), [&] {
        const std::string c = to_utf8(env, conninfo, "conninfo");
        const OptionalUtf8 uid = to_optional_utf8(env, user_uid, "user_uid");
        const gs_sync_options o = sync_options(uid, batch_rows, timeout_ms);
        Owned out;
        check(gs_sync_run(db_of(handle), c.c_str(), &o, &out.p), db_of(handle));
        return to_jstring(env, out.p ? out.p : "{}");
    });
}

jstring sync_status(JNIEnv* env, jclass, jlong handle) {
    return entry(env, jstring(nullptr), [&] {
        Owned out;
        check(gs_sync_status_get(db_of(handle), &out.p), db_of(handle));
        return to_jstring(env, out.p);
    });
}

jstring sync_export(JNIEnv* env, jclass, jlong handle, jstring user_uid, jint batch_rows, jint timeout_ms) {
    return entry(env, jstring(nullptr), [&]() -> jstring {
        const OptionalUtf8 uid = to_optional_utf8(env, user_uid, "user_uid");
        const gs_sync_options o = sync_options(uid, batch_rows, timeout_ms);
        Owned out;
        check(gs_sync_export_batch(db_of(handle), &o, &out.p), db_of(handle));
        return out.p ? to_jstring(env, out.p) : nullptr;  // null: nothing to push
    });
}

void sync_import_ack(JNIEnv* env, jclass, jlong handle, jstring ack) {
    entry_void(env, [&] {
        const std::string a = to_utf8(env, ack, "ack");
        check(gs_sync_import_ack(db_of(handle), a.c_str()), db_of(handle));
    });
}

jstring sync_pull_request(JNIEnv* env, jclass, jlong handle, jstring user_uid, jint batch_rows, jint timeout_ms) {
    return entry(env, jstring(nullptr), [&] {
        const OptionalUtf8 uid = to_optional_utf8(env, user_uid, "user_uid");
        const gs_sync_options o = sync_options(uid, batch_rows, timeout_ms);
        Owned out;
        check(gs_sync_export_request(db_of(handle), &o, &out.p), db_of(handle));
        return to_jstring(env, out.p);
    });
}

jstring sync_import(JNIEnv* env, jclass, jlong handle, jstring page) { return text_call(env, handle, page, "page", gs_sync_import_page, true); }

jstring server_setup(JNIEnv* env, jclass, jstring conninfo) {
    return entry(env, jstring(nullptr), [&] {
        const std::string c = to_utf8(env, conninfo, "conninfo");
        Owned out;
        check(gs_server_setup(c.c_str(), &out.p), nullptr);
        return to_jstring(env, out.p ? out.p : "{}");
    });
}

jstring server_add_account(JNIEnv* env, jclass, jstring conninfo, jstring user_uid, jstring role, jstring password) {
    return entry(env, jstring(nullptr), [&] {
        const std::string c = to_utf8(env, conninfo, "conninfo"), u = to_utf8(env, user_uid, "user_uid"),
                          r = to_utf8(env, role, "role"), p = to_utf8(env, password, "password");
        Owned out;
        check(gs_server_add_account(c.c_str(), u.c_str(), r.c_str(), p.c_str(), &out.p), nullptr);
        return to_jstring(env, out.p ? out.p : "{}");
    });
}

gs_server* server_of(jlong handle) { return reinterpret_cast<gs_server*>(static_cast<intptr_t>(handle)); }

jlong server_open(JNIEnv* env, jclass, jstring conninfo, jstring account_role, jint timeout_ms) {
    return entry(env, jlong(0), [&] {
        const std::string c = to_utf8(env, conninfo, "conninfo");
        const OptionalUtf8 r = to_optional_utf8(env, account_role, "account_role");
        gs_server_options opts = GS_SERVER_OPTIONS_INIT;
        opts.account_role = r.c_str();
        opts.timeout_ms = timeout_ms;
        gs_server* server = nullptr;
        check(gs_server_open(c.c_str(), &opts, &server), nullptr);
        return jlong(reinterpret_cast<intptr_t>(server));
    });
}

void server_close(JNIEnv*, jclass, jlong handle) { gs_server_close(server_of(handle)); }

jstring server_push(JNIEnv* env, jclass, jlong handle, jstring batch) {
    return entry(env, jstring(nullptr), [&] {
        const std::string b = to_utf8(env, batch, "batch");
        Owned out;
        check(gs_server_push(server_of(handle), b.c_str(), &out.p), nullptr);
        return to_jstring(env, out.p);
    });
}

jstring server_pull(JNIEnv* env, jclass, jlong handle, jstring request) {
    return entry(env, jstring(nullptr), [&] {
        const std::string q = to_utf8(env, request, "request");
        Owned out;
        check(gs_server_pull(server_of(handle), q.c_str(), &out.p), nullptr);
        return to_jstring(env, out.p);
    });
}

// --- history import and export: the progress callback calls a Kotlin HistoryProgress ----------------

struct ProgressContext {
    JNIEnv* env;
    jobject progress;
    jmethodID on_progress;
};

// Runs on the importing (Java) thread. A Java exception from the callback stops the import and stays
// pending, so entry() rethrows it in Kotlin.
int32_t call_progress(void* context, const char* progress_json) {
    auto* ctx = static_cast<ProgressContext*>(context);
    JNIEnv* env = ctx->env;
    if (env->ExceptionCheck()) return 1;
    try {
        jstring text = to_jstring(env, progress_json);
        const jboolean go_on = env->CallBooleanMethod(ctx->progress, ctx->on_progress, text);
        env->DeleteLocalRef(text);
        return env->ExceptionCheck() || !go_on ? 1 : 0;
    } catch (...) {
        return 1;
    }
}

jstring import_history(JNIEnv* env, jclass, jlong handle, jlong user_id, jint format, jstring csv, jstring mapping, jint flags,
                       jobject progress) {
    return entry(env, jstring(nullptr), [&] {
        const std::string text = to_utf8(env, csv, "csv");
        const OptionalUtf8 map = to_optional_utf8(env, mapping, "mapping");
        gs_history_options opts = GS_HISTORY_OPTIONS_INIT;
        opts.flags = uint32_t(flags);
        opts.mapping_json = map.c_str();
        ProgressContext ctx{env, progress, nullptr};
        if (progress) {
            jclass cls = env->GetObjectClass(progress);
            ctx.on_progress = env->GetMethodID(cls, "onProgress", "(Ljava/lang/String;)Z");
            env->DeleteLocalRef(cls);
            if (!ctx.on_progress) throw JavaPending{};
            opts.progress = call_progress;
            opts.progress_context = &ctx;
        }
        Owned report;
        check(gs_history_import(db_of(handle), user_id, static_cast<gs_history_format>(format), text.c_str(), &opts, &report.p),
              db_of(handle));
        return to_jstring(env, report.p);
    });
}

jstring export_history(JNIEnv* env, jclass, jlong handle, jlong user_id, jint format) {
    return entry(env, jstring(nullptr), [&] {
        Owned out;
        check(gs_history_export(db_of(handle), user_id, static_cast<gs_history_format>(format), &out.p), db_of(handle));
        return to_jstring(env, out.p);
    });
}

// --- token sealer: the library calls back into a Kotlin TokenSealer ------------------------------

// The context of one handle's sealer: a global reference to the Kotlin object, and the output of a
// call whose buffer was too small (the library calls again with a larger one; the sealer runs once).
struct SealerContext {
    jobject sealer = nullptr;
    bool pending = false;
    bool pending_seal = false;
    std::string pending_in, pending_out;
};

std::mutex g_sealers_mutex;
std::unordered_map<gs_db*, SealerContext*> g_sealers;  // the registered context of each handle

void release_sealer(JNIEnv* env, SealerContext* ctx) {
    if (!ctx) return;
    if (ctx->sealer) env->DeleteGlobalRef(ctx->sealer);
    delete ctx;
}

// Runs on the thread that called gs_token_seal / gs_token_unseal / a write, i.e. a Java thread. A Java
// exception thrown by the sealer stays pending: the library call fails and entry() lets it through.
int32_t call_sealer(void* context, bool seal, const char* in, size_t in_len, char* out, size_t out_cap, size_t* out_len) noexcept {
    auto* ctx = static_cast<SealerContext*>(context);
    JNIEnv* env = nullptr;
    if (!ctx || !out_len || !g_vm || g_vm->GetEnv(reinterpret_cast<void**>(&env), JNI_VERSION_1_6) != JNI_OK) return 1;
    if (env->ExceptionCheck()) return 1;
    try {
        const std::string input(in ? in : "", in ? in_len : 0);
        std::string output;
        if (ctx->pending && ctx->pending_seal == seal && ctx->pending_in == input) {
            output = ctx->pending_out;
        } else {
            if (input.size() > size_t(std::numeric_limits<jsize>::max())) return 1;
            jbyteArray arg = env->NewByteArray(jsize(input.size()));
            if (!arg) return 1;
            env->SetByteArrayRegion(arg, 0, jsize(input.size()), reinterpret_cast<const jbyte*>(input.data()));
            auto result = static_cast<jbyteArray>(env->CallObjectMethod(ctx->sealer, seal ? g_sealer_seal : g_sealer_open, arg));
            env->DeleteLocalRef(arg);
            if (env->ExceptionCheck() || !result) {
                if (result) env->DeleteLocalRef(result);
                ctx->pending = false;
                return 1;
            }
            output.resize(size_t(env->GetArrayLength(result)));
            env->GetByteArrayRegion(result, 0, jsize(output.size()), reinterpret_cast<jbyte*>(output.data()));
            env->DeleteLocalRef(result);
        }
        *out_len = output.size();
        if (output.size() > out_cap || !out) {
            ctx->pending = true;
            ctx->pending_seal = seal;
            ctx->pending_in = input;
            ctx->pending_out = std::move(output);
            return 0;
        }
        std::memcpy(out, output.data(), output.size());
        ctx->pending = false;
        return 0;
    } catch (...) {
        return 1;
    }
}

int32_t seal_thunk(void* context, const char* in, size_t in_len, char* out, size_t out_cap, size_t* out_len) {
    return call_sealer(context, true, in, in_len, out, out_cap, out_len);
}

int32_t open_thunk(void* context, const char* in, size_t in_len, char* out, size_t out_cap, size_t* out_len) {
    return call_sealer(context, false, in, in_len, out, out_cap, out_len);
}

void set_token_sealer(JNIEnv* env, jclass, jlong handle, jobject sealer) {
    entry_void(env, [&] {
        gs_db* db = db_of(handle);
        SealerContext* fresh = nullptr;
        if (sealer) {
            fresh = new SealerContext;
            fresh->sealer = env->NewGlobalRef(sealer);
            if (!fresh->sealer) {
                delete fresh;
                throw JavaPending{};
            }
        }
        gs_token_sealer s{};
        s.size = sizeof s;
        s.context = fresh;
        s.seal = seal_thunk;
        s.open = open_thunk;
        const int32_t status = gs_token_set_sealer(db, fresh ? &s : nullptr);
        if (status != GS_OK) {
            release_sealer(env, fresh);
            check(status, db);
        }
        SealerContext* old = nullptr;
        {
            std::lock_guard<std::mutex> lock(g_sealers_mutex);
            auto it = g_sealers.find(db);
            if (it != g_sealers.end()) {
                old = it->second;
                g_sealers.erase(it);
            }
            if (fresh) g_sealers[db] = fresh;
        }
        release_sealer(env, old);  // the library no longer uses it
    });
}

jstring seal_token(JNIEnv* env, jclass, jlong handle, jstring plain) { return text_call(env, handle, plain, "token", gs_token_seal, false); }

jstring open_token(JNIEnv* env, jclass, jlong handle, jstring sealed) { return text_call(env, handle, sealed, "token", gs_token_unseal, false); }

// --- math (no handle: errors are on this thread) ----------------------------------------------

jdouble e1rm(JNIEnv* env, jclass, jint formula, jdouble load, jint reps, jdouble rpe) {
    return entry(env, jdouble(0), [&] {
        double out = 0;
        check(gs_e1rm_estimate(static_cast<gs_e1rm_formula>(formula), load, reps, rpe, &out), nullptr);
        return jdouble(out);
    });
}

jdouble rpe_percent(JNIEnv* env, jclass, jint reps, jdouble rpe) {
    return entry(env, jdouble(0), [&] {
        double out = 0;
        check(gs_rpe_lookup_percent(reps, rpe, &out), nullptr);
        return jdouble(out);
    });
}

jdouble rpe_e1rm(JNIEnv* env, jclass, jdouble load, jint reps, jdouble rpe) {
    return entry(env, jdouble(0), [&] {
        double out = 0;
        check(gs_e1rm_estimate_rpe(load, reps, rpe, &out), nullptr);
        return jdouble(out);
    });
}

jdouble rpe_load(JNIEnv* env, jclass, jdouble e1rm_value, jint reps, jdouble rpe, jdouble increment) {
    return entry(env, jdouble(0), [&] {
        double out = 0;
        check(gs_load_prescribe(e1rm_value, reps, rpe, increment, &out), nullptr);
        return jdouble(out);
    });
}

// --- training log ---------------------------------------------------------------------------------

jstring log_workout(JNIEnv* env, jclass, jlong handle, jstring workout) { return text_call(env, handle, workout, "workout", gs_workout_log, true); }

// The hot path: typed arguments in, gs_set_log_v2's report (the set and its records) out.
jstring log_set(JNIEnv* env, jclass, jlong handle, jlong user_id, jlong workout_log_id, jlong movement_id, jint set_number,
                jint reps, jdouble load_kg, jdouble rpe, jdouble velocity, jstring notes, jstring set_type) {
    return entry(env, jstring(nullptr), [&] {
        const OptionalUtf8 n = to_optional_utf8(env, notes, "notes");
        const OptionalUtf8 t = to_optional_utf8(env, set_type, "set_type");
        gs_set_options o = GS_SET_OPTIONS_INIT;
        o.velocity = velocity;
        o.notes = n.c_str();
        o.set_type = t.c_str();
        Owned out;
        check(gs_set_log_v2(db_of(handle), user_id, workout_log_id, movement_id, set_number, reps, load_kg, rpe, &o, &out.p), db_of(handle));
        return to_jstring(env, out.p);
    });
}

// gs_pr_list / gs_pr_recompute: a user and a movement (0: all) in, the library's JSON out.
template <int32_t (*Fn)(gs_db*, int64_t, int64_t, char**)>
jstring user_movement_call(JNIEnv* env, jclass, jlong handle, jlong user_id, jlong movement_id) {
    return entry(env, jstring(nullptr), [&] {
        Owned out;
        check(Fn(db_of(handle), user_id, movement_id, &out.p), db_of(handle));
        return to_jstring(env, out.p);
    });
}

// gs_soreness_log / gs_recovery_log / gs_biometrics_log: a JSON row in, the row's key out.
template <int32_t (*Fn)(gs_db*, const char*, int64_t*)>
jlong log_row(JNIEnv* env, jclass, jlong handle, jstring json) {
    return entry(env, jlong(0), [&] {
        const std::string j = to_utf8(env, json, "json");
        int64_t id = 0;
        check(Fn(db_of(handle), j.c_str(), &id), db_of(handle));
        return jlong(id);
    });
}

// --- progress -----------------------------------------------------------------------------------

// gs_goal_list, gs_summary_get and gs_day_state_get: a user and a date (NULL: today, where allowed).
template <int32_t (*call)(gs_db*, int64_t, const char*, char**)>
jstring user_date_call(JNIEnv* env, jclass, jlong handle, jlong user_id, jstring date) {
    return entry(env, jstring(nullptr), [&] {
        const OptionalUtf8 d = to_optional_utf8(env, date, "date");
        Owned out;
        check(call(db_of(handle), user_id, d.c_str(), &out.p), db_of(handle));
        return to_jstring(env, out.p);
    });
}

// gs_progress_get (from, to) and gs_goal_checkin (date, options_json): a user and two optional strings.
constexpr char kFrom[] = "from", kTo[] = "to", kDate[] = "date", kOptions[] = "options";
template <int32_t (*call)(gs_db*, int64_t, const char*, const char*, char**), const char* first, const char* second>
jstring user_two_texts_call(JNIEnv* env, jclass, jlong handle, jlong user_id, jstring a, jstring b) {
    return entry(env, jstring(nullptr), [&] {
        const OptionalUtf8 x = to_optional_utf8(env, a, first), y = to_optional_utf8(env, b, second);
        Owned out;
        check(call(db_of(handle), user_id, x.c_str(), y.c_str(), &out.p), db_of(handle));
        return to_jstring(env, out.p);
    });
}

// --- ingestion and adaptation ------------------------------------------------------------------

// gs_ingest_run: the options come from gs_ingest_options_init (the library's defaults for this size),
// then the run type the caller chose.
jstring ingest_run(JNIEnv* env, jclass, jlong handle, jstring request, jint run_type) {
    return entry(env, jstring(nullptr), [&] {
        const std::string r = to_utf8(env, request, "request");
        gs_ingest_options o;
        check(gs_ingest_options_init(&o, sizeof o), nullptr);
        o.run_type = static_cast<gs_ingest_run_type>(run_type);
        Owned out;
        check(gs_ingest_run(db_of(handle), r.c_str(), &o, &out.p), db_of(handle));
        return to_jstring(env, out.p);
    });
}

jstring activity_log(JNIEnv* env, jclass, jlong handle, jstring activity) { return text_call(env, handle, activity, "activity", gs_activity_log, false); }

jstring adapt_program(JNIEnv* env, jclass, jlong handle, jstring request) { return text_call(env, handle, request, "request", gs_program_adapt, false); }

// NULL arguments leave their column as it is.
void provider_tokens_set(JNIEnv* env, jclass, jlong handle, jlong account_id, jstring access, jstring refresh, jstring expires_at) {
    entry_void(env, [&] {
        const OptionalUtf8 a = to_optional_utf8(env, access, "access_token"), r = to_optional_utf8(env, refresh, "refresh_token"),
                           e = to_optional_utf8(env, expires_at, "expires_at");
        check(gs_provider_tokens_set(db_of(handle), account_id, a.c_str(), r.c_str(), e.c_str()), db_of(handle));
    });
}

jstring provider_tokens_list(JNIEnv* env, jclass, jlong handle, jlong user_id, jlong within_seconds) {
    return entry(env, jstring(nullptr), [&] {
        Owned out;
        check(gs_provider_tokens_list(db_of(handle), user_id, within_seconds, &out.p), db_of(handle));
        return to_jstring(env, out.p);
    });
}

// Test hook: returns `s` after a UTF-16 -> UTF-8 -> UTF-16 trip through this shim, and the UTF-8
// bytes in between, so the Kotlin tests can check the conversions without the database.
jstring echo(JNIEnv* env, jclass, jstring s) {
    return entry(env, jstring(nullptr), [&] { return to_jstring(env, to_utf8(env, s, "text").c_str()); });
}

jbyteArray utf8_bytes(JNIEnv* env, jclass, jstring s) {
    return entry(env, jbyteArray(nullptr), [&] {
        const std::string u = to_utf8(env, s, "text");
        jbyteArray r = env->NewByteArray(jsize(u.size()));
        if (!r) throw JavaPending{};
        env->SetByteArrayRegion(r, 0, jsize(u.size()), reinterpret_cast<const jbyte*>(u.data()));
        return r;
    });
}

jstring from_utf8_bytes(JNIEnv* env, jclass, jbyteArray bytes) {
    return entry(env, jstring(nullptr), [&] {
        if (!bytes) fail(GS_ERR_INVALID, "bytes: must not be null");
        std::string u(size_t(env->GetArrayLength(bytes)), '\0');
        env->GetByteArrayRegion(bytes, 0, jsize(u.size()), reinterpret_cast<jbyte*>(u.data()));
        if (env->ExceptionCheck()) throw JavaPending{};
        if (u.find('\0') != std::string::npos) fail(GS_ERR_INVALID, "bytes: contains a NUL byte");
        return to_jstring(env, u.c_str());
    });
}

void release_sealer_of(JNIEnv* env, gs_db* db) {
    if (!db) return;
    SealerContext* ctx = nullptr;
    {
        std::lock_guard<std::mutex> lock(g_sealers_mutex);
        auto it = g_sealers.find(db);
        if (it == g_sealers.end()) return;
        ctx = it->second;
        g_sealers.erase(it);
    }
    release_sealer(env, ctx);
}

#define GS_NATIVE(name, signature, fn) {const_cast<char*>(name), const_cast<char*>(signature), reinterpret_cast<void*>(fn)}
#define GS_STR "Ljava/lang/String;"

const JNINativeMethod kMethods[] = {
    GS_NATIVE("version", "()" GS_STR, version),
    GS_NATIVE("schemaVersion", "()I", schema_version),
    GS_NATIVE("liveObjects", "()J", live_objects),
    GS_NATIVE("statusName", "(I)" GS_STR, status_name),
    GS_NATIVE("open", "(" GS_STR ")J", open),
    GS_NATIVE("openWithOptions", "(" GS_STR "II)J", open_with_options),
    GS_NATIVE("close", "(J)V", close),
    GS_NATIVE("insert", "(J" GS_STR GS_STR ")J", insert),
    GS_NATIVE("update", "(J" GS_STR "J" GS_STR ")V", update),
    GS_NATIVE("delete", "(J" GS_STR "J)V", remove),
    GS_NATIVE("get", "(J" GS_STR "J)" GS_STR, get),
    GS_NATIVE("select", "(J" GS_STR GS_STR ")" GS_STR, select),
    GS_NATIVE("getSession", "(JJ)" GS_STR, get_session),
    GS_NATIVE("exportUser", "(JJ)" GS_STR, export_user),
    GS_NATIVE("importDocument", "(JI" GS_STR ")" GS_STR, import_document),
    GS_NATIVE("importHistory", "(JJI" GS_STR GS_STR "ILapp/gainsly/HistoryProgress;)" GS_STR, import_history),
    GS_NATIVE("exportHistory", "(JJI)" GS_STR, export_history),
    GS_NATIVE("generateProgram", "(J" GS_STR ")" GS_STR, generate_program),
    GS_NATIVE("replanProgram", "(J" GS_STR ")" GS_STR, replan_program),
    GS_NATIVE("listSubstitutes", "(JJI)" GS_STR, list_substitutes),
    GS_NATIVE("substituteExercise", "(JJJ)" GS_STR, substitute_exercise),
    GS_NATIVE("describeProgram", "(JJ)" GS_STR, describe_program),
    GS_NATIVE("sync", "(J" GS_STR GS_STR "II)" GS_STR, sync),
    GS_NATIVE("syncStatus", "(J)" GS_STR, sync_status),
    GS_NATIVE("syncExport", "(J" GS_STR "II)" GS_STR, sync_export),
    GS_NATIVE("syncImportAck", "(J" GS_STR ")V", sync_import_ack),
    GS_NATIVE("syncPullRequest", "(J" GS_STR "II)" GS_STR, sync_pull_request),
    GS_NATIVE("syncImport", "(J" GS_STR ")" GS_STR, sync_import),
    GS_NATIVE("serverSetup", "(" GS_STR ")" GS_STR, server_setup),
    GS_NATIVE("serverAddAccount", "(" GS_STR GS_STR GS_STR GS_STR ")" GS_STR, server_add_account),
    GS_NATIVE("serverOpen", "(" GS_STR GS_STR "I)J", server_open),
    GS_NATIVE("serverClose", "(J)V", server_close),
    GS_NATIVE("serverPush", "(J" GS_STR ")" GS_STR, server_push),
    GS_NATIVE("serverPull", "(J" GS_STR ")" GS_STR, server_pull),
    GS_NATIVE("setTokenSealer", "(JLapp/gainsly/TokenSealer;)V", set_token_sealer),
    GS_NATIVE("sealToken", "(J" GS_STR ")" GS_STR, seal_token),
    GS_NATIVE("openToken", "(J" GS_STR ")" GS_STR, open_token),
    GS_NATIVE("e1rm", "(IDID)D", e1rm),
    GS_NATIVE("rpePercent", "(ID)D", rpe_percent),
    GS_NATIVE("rpeE1rm", "(DID)D", rpe_e1rm),
    GS_NATIVE("rpeLoad", "(DIDD)D", rpe_load),
    GS_NATIVE("logWorkout", "(J" GS_STR ")" GS_STR, log_workout),
    GS_NATIVE("logSet", "(JJJJIIDDD" GS_STR GS_STR ")" GS_STR, log_set),
    GS_NATIVE("listPersonalRecords", "(JJJ)" GS_STR, user_movement_call<gs_pr_list>),
    GS_NATIVE("recomputePersonalRecords", "(JJJ)" GS_STR, user_movement_call<gs_pr_recompute>),
    GS_NATIVE("logSoreness", "(J" GS_STR ")J", log_row<gs_soreness_log>),
    GS_NATIVE("logRecovery", "(J" GS_STR ")J", log_row<gs_recovery_log>),
    GS_NATIVE("logBiometrics", "(J" GS_STR ")J", log_row<gs_biometrics_log>),
    GS_NATIVE("dayState", "(JJ" GS_STR ")" GS_STR, user_date_call<gs_day_state_get>),
    GS_NATIVE("progress", "(JJ" GS_STR GS_STR ")" GS_STR, (user_two_texts_call<gs_progress_get, kFrom, kTo>)),
    GS_NATIVE("goals", "(JJ" GS_STR ")" GS_STR, user_date_call<gs_goal_list>),
    GS_NATIVE("goalCheckin", "(JJ" GS_STR GS_STR ")" GS_STR, (user_two_texts_call<gs_goal_checkin, kDate, kOptions>)),
    GS_NATIVE("weeklySummary", "(JJ" GS_STR ")" GS_STR, user_date_call<gs_summary_get>),
    GS_NATIVE("ingestRun", "(J" GS_STR "I)" GS_STR, ingest_run),
    GS_NATIVE("activityList", "(JJ" GS_STR GS_STR ")" GS_STR, (user_two_texts_call<gs_activity_list, kFrom, kTo>)),
    GS_NATIVE("activityLog", "(J" GS_STR ")" GS_STR, activity_log),
    GS_NATIVE("providerTokensSet", "(JJ" GS_STR GS_STR GS_STR ")V", provider_tokens_set),
    GS_NATIVE("providerTokensList", "(JJJ)" GS_STR, provider_tokens_list),
    GS_NATIVE("adaptProgram", "(J" GS_STR ")" GS_STR, adapt_program),
    GS_NATIVE("begin", "(J)V", begin),
    GS_NATIVE("commit", "(J)V", commit),
    GS_NATIVE("rollback", "(J)V", rollback),
    GS_NATIVE("echo", "(" GS_STR ")" GS_STR, echo),
    GS_NATIVE("utf8Bytes", "(" GS_STR ")[B", utf8_bytes),
    GS_NATIVE("fromUtf8Bytes", "([B)" GS_STR, from_utf8_bytes),
};

}  // namespace

extern "C" JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM* vm, void*) {
    JNIEnv* env = nullptr;
    if (vm->GetEnv(reinterpret_cast<void**>(&env), JNI_VERSION_1_6) != JNI_OK) return JNI_ERR;
    g_vm = vm;
    jclass sealer = env->FindClass(kSealerClass);
    if (!sealer) return JNI_ERR;
    g_sealer_seal = env->GetMethodID(sealer, "seal", "([B)[B");
    g_sealer_open = env->GetMethodID(sealer, "open", "([B)[B");
    env->DeleteLocalRef(sealer);
    if (!g_sealer_seal || !g_sealer_open) return JNI_ERR;
    jclass exception = env->FindClass(kExceptionClass);
    if (!exception) return JNI_ERR;
    g_exception_class = static_cast<jclass>(env->NewGlobalRef(exception));
    env->DeleteLocalRef(exception);
    g_exception_init = env->GetMethodID(g_exception_class, "<init>", "(I" GS_STR ")V");
    jclass native = env->FindClass(kNativeClass);
    if (!g_exception_class || !g_exception_init || !native) return JNI_ERR;
    const jint rc = env->RegisterNatives(native, kMethods, jint(sizeof kMethods / sizeof kMethods[0]));
    env->DeleteLocalRef(native);
    return rc == JNI_OK ? JNI_VERSION_1_6 : JNI_ERR;
}

extern "C" JNIEXPORT void JNICALL JNI_OnUnload(JavaVM* vm, void*) {
    JNIEnv* env = nullptr;
    if (vm->GetEnv(reinterpret_cast<void**>(&env), JNI_VERSION_1_6) == JNI_OK) {
        if (g_exception_class) env->DeleteGlobalRef(g_exception_class);
    }
    g_exception_class = nullptr;
    g_exception_init = nullptr;
    g_sealer_seal = nullptr;
    g_sealer_open = nullptr;
    g_vm = nullptr;
}
