// JNI shim between the Kotlin wrapper (app.gainsly.Native) and the C ABI (gainsly.h).
//
// Rules every entry point follows:
//  - It runs its body inside entry(), which turns every C++ exception and every failed gs_* status
//    into a pending app.gainsly.GainslyException(code, message); nothing else escapes to the JVM.
//  - Strings cross as real UTF-8 on the C side and UTF-16 on the Java side, converted here
//    (GetStringUTFChars/NewStringUTF speak *modified* UTF-8, which mangles 4-byte characters).
//    Unpaired surrogates and malformed UTF-8 become U+FFFD; an embedded U+0000 is refused.
//  - Every buffer the library returns is released with gs_free (Owned), also on error paths.
//  - Classes and method ids are looked up once, in JNI_OnLoad; natives are bound there with
//    RegisterNatives, so the Kotlin names are listed once, in kMethods below.
// Adding a C function: write a static function like insert() and one line in kMethods, then the
// matching `external fun` in Native.kt.
#include <jni.h>

#include <cstdint>
#include <cstring>
#include <exception>
#include <limits>
#include <new>
#include <string>

#include "gainsly/gainsly.h"

// Constants the Kotlin side repeats (GainslyException.kt, Documents.kt): a change in gainsly.h
// stops the build here instead of silently disagreeing.
static_assert(GS_OK == 0 && GS_ERR_INVALID == -1 && GS_ERR_NOT_FOUND == -2 && GS_ERR_CONSTRAINT == -3 &&
                  GS_ERR_INFEASIBLE == -4 && GS_ERR_IO == -5 && GS_ERR_CORRUPT == -6 && GS_ERR_BUSY == -7 &&
                  GS_ERR_SYNC == -8 && GS_ERR_AUTH == -9 && GS_ERR_VERSION == -10 && GS_ERR_INTERNAL == -11 &&
                  GS_ERR_NOMEM == -12,
              "status codes changed: update GainslyException.kt");
static_assert(GS_IMPORT_USER_EXPORT == 0 && GS_IMPORT_CATALOG == 1 && GS_IMPORT_FREE_EXERCISE_DB == 2,
              "import formats changed: update ImportFormat in Documents.kt");

namespace {

constexpr const char* kNativeClass = "app/gainsly/Native";
constexpr const char* kExceptionClass = "app/gainsly/GainslyException";

jclass g_exception_class = nullptr;       // global reference, held for the life of the library
jmethodID g_exception_init = nullptr;     // GainslyException(int code, String message)

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
    if (status != GS_OK) fail(status, gs_errmsg(db));
}

// A library-owned buffer, released with gs_free whatever happens.
struct Owned {
    char* p = nullptr;
    Owned() = default;
    Owned(const Owned&) = delete;
    Owned& operator=(const Owned&) = delete;
    ~Owned() { gs_free(p); }
};

// --- the natives --------------------------------------------------------------------------------

jstring version(JNIEnv* env, jclass) {
    return entry(env, jstring(nullptr), [&] { return to_jstring(env, gs_version()); });
}

jint schema_version(JNIEnv*, jclass) { return gs_schema_version(); }

jlong live_objects(JNIEnv*, jclass) { return gs_live_objects(); }

jstring status_name(JNIEnv* env, jclass, jint status) {
    return entry(env, jstring(nullptr), [&] { return to_jstring(env, gs_status_name(status)); });
}

jlong open(JNIEnv* env, jclass, jstring path) {
    return entry(env, jlong(0), [&] {
        const std::string p = to_utf8(env, path, "path");
        gs_db* db = nullptr;
        check(gs_open(p.c_str(), &db), nullptr);
        return jlong(reinterpret_cast<intptr_t>(db));
    });
}

void close(JNIEnv*, jclass, jlong handle) { gs_close(db_of(handle)); }

jlong insert(JNIEnv* env, jclass, jlong handle, jstring table, jstring json) {
    return entry(env, jlong(0), [&] {
        const std::string t = to_utf8(env, table, "table"), j = to_utf8(env, json, "json");
        int64_t id = 0;
        check(gs_insert(db_of(handle), t.c_str(), j.c_str(), &id), db_of(handle));
        return jlong(id);
    });
}

void update(JNIEnv* env, jclass, jlong handle, jstring table, jlong id, jstring json) {
    entry_void(env, [&] {
        const std::string t = to_utf8(env, table, "table"), j = to_utf8(env, json, "json");
        check(gs_update(db_of(handle), t.c_str(), id, j.c_str()), db_of(handle));
    });
}

void remove(JNIEnv* env, jclass, jlong handle, jstring table, jlong id) {
    entry_void(env, [&] {
        const std::string t = to_utf8(env, table, "table");
        check(gs_delete(db_of(handle), t.c_str(), id), db_of(handle));
    });
}

jstring get(JNIEnv* env, jclass, jlong handle, jstring table, jlong id) {
    return entry(env, jstring(nullptr), [&] {
        const std::string t = to_utf8(env, table, "table");
        Owned out;
        check(gs_get(db_of(handle), t.c_str(), id, &out.p), db_of(handle));
        return to_jstring(env, out.p);
    });
}

jstring select(JNIEnv* env, jclass, jlong handle, jstring table, jstring filter) {
    return entry(env, jstring(nullptr), [&] {
        const std::string t = to_utf8(env, table, "table");
        const std::string f = filter ? to_utf8(env, filter, "filter") : std::string();
        Owned out;
        check(gs_select(db_of(handle), t.c_str(), filter ? f.c_str() : nullptr, &out.p), db_of(handle));
        return to_jstring(env, out.p);
    });
}

jstring get_session(JNIEnv* env, jclass, jlong handle, jlong id) {
    return entry(env, jstring(nullptr), [&] {
        Owned out;
        check(gs_get_session(db_of(handle), id, &out.p), db_of(handle));
        return to_jstring(env, out.p);
    });
}

jstring export_user(JNIEnv* env, jclass, jlong handle, jlong user_id) {
    return entry(env, jstring(nullptr), [&] {
        Owned out;
        check(gs_export_user(db_of(handle), user_id, &out.p), db_of(handle));
        return to_jstring(env, out.p);
    });
}

jstring import_document(JNIEnv* env, jclass, jlong handle, jint format, jstring json) {
    return entry(env, jstring(nullptr), [&] {
        const std::string j = to_utf8(env, json, "json");
        Owned report;
        check(gs_import(db_of(handle), format, j.c_str(), &report.p), db_of(handle));
        return to_jstring(env, report.p);
    });
}

void begin(JNIEnv* env, jclass, jlong handle) {
    entry_void(env, [&] { check(gs_begin(db_of(handle)), db_of(handle)); });
}

void commit(JNIEnv* env, jclass, jlong handle) {
    entry_void(env, [&] { check(gs_commit(db_of(handle)), db_of(handle)); });
}

void rollback(JNIEnv* env, jclass, jlong handle) {
    entry_void(env, [&] { check(gs_rollback(db_of(handle)), db_of(handle)); });
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

#define GS_NATIVE(name, signature, fn) {const_cast<char*>(name), const_cast<char*>(signature), reinterpret_cast<void*>(fn)}
#define GS_STR "Ljava/lang/String;"

const JNINativeMethod kMethods[] = {
    GS_NATIVE("version", "()" GS_STR, version),
    GS_NATIVE("schemaVersion", "()I", schema_version),
    GS_NATIVE("liveObjects", "()J", live_objects),
    GS_NATIVE("statusName", "(I)" GS_STR, status_name),
    GS_NATIVE("open", "(" GS_STR ")J", open),
    GS_NATIVE("close", "(J)V", close),
    GS_NATIVE("insert", "(J" GS_STR GS_STR ")J", insert),
    GS_NATIVE("update", "(J" GS_STR "J" GS_STR ")V", update),
    GS_NATIVE("delete", "(J" GS_STR "J)V", remove),
    GS_NATIVE("get", "(J" GS_STR "J)" GS_STR, get),
    GS_NATIVE("select", "(J" GS_STR GS_STR ")" GS_STR, select),
    GS_NATIVE("getSession", "(JJ)" GS_STR, get_session),
    GS_NATIVE("exportUser", "(JJ)" GS_STR, export_user),
    GS_NATIVE("importDocument", "(JI" GS_STR ")" GS_STR, import_document),
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
    if (vm->GetEnv(reinterpret_cast<void**>(&env), JNI_VERSION_1_6) == JNI_OK && g_exception_class)
        env->DeleteGlobalRef(g_exception_class);
    g_exception_class = nullptr;
    g_exception_init = nullptr;
}
