/* Every entry point of the C ABI through the generated header, on its success and failure paths
 * (null pointers, invalid UTF-8, bad JSON, a panic, NUL bytes in webhook arguments, the deduplicator's
 * lease contract and a store that is not there), every reply freed. scripts/test-php.sh runs it plainly and scripts/valgrind-c-abi.sh under valgrind. */
#include <stdio.h>
#include <string.h>

#include "pagoefectivo.h"

static int failures = 0;
static int checks = 0;

/* Checks that `reply` contains `want`, then frees it as the contract says. */
static void expect(char *reply, const char *want, const char *what) {
    checks++;
    if (reply == NULL || strstr(reply, want) == NULL) {
        fprintf(stderr, "FAIL %s: want %s in %s\n", what, want, reply ? reply : "(null)");
        failures++;
    }
    pe_string_free(reply);
}

/* Copies the string value of `"key":"..."` in `json` into `out`; 0 when absent or too long. */
static int field(const char *json, const char *key, char *out, size_t size) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    const char *start = json ? strstr(json, pattern) : NULL;
    if (start == NULL) {
        return 0;
    }
    start += strlen(pattern);
    const char *end = strchr(start, '"');
    if (end == NULL || (size_t)(end - start) >= size) {
        return 0;
    }
    memcpy(out, start, (size_t)(end - start));
    out[end - start] = '\0';
    return 1;
}

/* The digits after `"key":` in `json` into `out`. */
static int number(const char *json, const char *key, char *out, size_t size) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    const char *start = json ? strstr(json, pattern) : NULL;
    if (start == NULL) {
        return 0;
    }
    start += strlen(pattern);
    size_t n = strspn(start, "0123456789");
    if (n == 0 || n >= size) {
        return 0;
    }
    memcpy(out, start, n);
    out[n] = '\0';
    return 1;
}

static void client_less(void) {
    expect(pe_call("cip.status", "23"), "\"data\":\"paid\"", "cip.status");
    expect(pe_call("errors.table", NULL), "\"internal_error\"", "errors.table");
    expect(pe_call("time.parse", "{not json"), "validation_error", "invalid JSON");
    expect(pe_call("time.parse", "\"\xc3\x28\""), "UTF-8", "invalid UTF-8 argument");
    expect(pe_call("time.\xff", "null"), "\"field\":\"op\"", "invalid UTF-8 op");
    expect(pe_call(NULL, NULL), "\"field\":\"op\"", "null op");
    expect(pe_call("no.such.op", "{}"), "unknown operation", "unknown op");
    expect(pe_call("cip.validate_create", "{\"amount\":25.5,\"date_expire\":1}"), "date_expire", "every problem");
    expect(pe_call("webhook.find_signature", "{\"headers\":{\"HTTP_PE_SIGNATURE\":\"ab\"}}"), "\"data\":\"ab\"",
           "find_signature");
}

static void webhooks(void) {
    const char body[] = "{\"eventType\":\"cip.paid\",\"operationNumber\":\"7\",\"data\":{\"cip\":\"9\",\"currency\":\"PEN\",\"amount\":2.50}}";
    char *signed_ = pe_call("webhook.sign", "{\"body\":\"{\\\"eventType\\\":\\\"cip.paid\\\",\\\"operationNumber\\\":\\\"7\\\","
                                            "\\\"data\\\":{\\\"cip\\\":\\\"9\\\",\\\"currency\\\":\\\"PEN\\\",\\\"amount\\\":2.50}}\","
                                            "\"secret\":\"key\"}");
    char sig[80];
    if (!field(signed_, "data", sig, sizeof sig)) {
        fprintf(stderr, "FAIL webhook.sign: %s\n", signed_ ? signed_ : "(null)");
        failures++;
        pe_string_free(signed_);
        return;
    }
    pe_string_free(signed_);
    size_t n = strlen(body);
    expect(pe_webhook_verify(body, n, sig, strlen(sig), "key", 3, 0), "\"dedupKey\":\"cip.paid:7:9\"", "verified");
    expect(pe_webhook_verify(body, n, sig, strlen(sig), "key\0more", 8, 0), "signature_mismatch", "NUL in the secret");
    expect(pe_webhook_verify("{\0}", 3, sig, strlen(sig), "key", 3, 0), "signature_mismatch", "NUL in the body");
    expect(pe_webhook_verify("{}", 2, NULL, 0, "k", 1, 0), "missing_signature", "unsigned");
    expect(pe_webhook_verify(NULL, 5, NULL, 0, "k", 1, 0), "\"field\":\"body\"", "null body");
    expect(pe_webhook_verify(NULL, 0, sig, strlen(sig), "k", 1, 0), "signature_mismatch", "empty body");
    expect(pe_webhook_verify(body, n, sig, strlen(sig), NULL, 0, 0), "\"field\":\"secret\"", "null secret");
    expect(pe_webhook_verify(body, n, sig, strlen(sig), "\xed\xa0\x80k", 4, 0), "\"field\":\"secret\"", "not UTF-8");
    expect(pe_webhook_verify(body, n, "\xff", 1, "key", 3, 0), "\"field\":\"signature\"", "bad signature bytes");
    expect(pe_webhook_verify(body, n, sig, strlen(sig), "key", 3, 10), "body_too_large", "max body");
    expect(pe_webhook_verify(body, n, sig, strlen(sig), "key", 3, -1), "maxBodyBytes", "negative max");
    /* The one-crossing form: the event's values as fields (U+001F between them, U+001E for null) or a JSON list,
     * or the error reply; the library's, never freed. */
    const char *event = pe_webhook_event(body, n, sig, strlen(sig), "key", 3, 0);
    const char *values = "cip_paid" "\x1f" "cip.paid" "\x1f" "cip.paid:7:9" "\x1f" "7" "\x1f" "9" "\x1f" "PEN" "\x1f"
                         "2.50" "\x1f" "\x1e" "\x1f" "\x1e";
    checks++;
    if (event == NULL || strcmp(event, values) != 0) {
        fprintf(stderr, "FAIL pe_webhook_event: %s\n", event ? event : "(null)");
        failures++;
    }
    event = pe_webhook_event(body, n, NULL, 0, "key", 3, 0);
    checks++;
    if (event == NULL || strstr(event, "missing_signature") == NULL) {
        fprintf(stderr, "FAIL pe_webhook_event unsigned: %s\n", event ? event : "(null)");
        failures++;
    }
}

static void deduplicators(void) {
    const char body[] = "{\"eventType\":\"cip.paid\",\"operationNumber\":\"7\",\"data\":{\"cip\":\"9\",\"currency\":\"PEN\",\"amount\":2.50}}";
    const char forged[] = "{\"eventType\":\"cip.paid\",\"operationNumber\":\"7\",\"data\":{\"cip\":\"9\",\"currency\":\"PEN\",\"amount\":9.50}}";
    size_t n = strlen(body);
    PeDedup *d = NULL;
    expect(pe_dedup_new(NULL, NULL), "\"field\":\"out\"", "dedup without out");
    expect(pe_dedup_new("{\"ttl\":1}", &d), "\"field\":\"ttl\"", "unknown dedup option");
    expect(pe_dedup_new("{\"url\":\"mysql://u:hunter2@x/db\"}", &d), "configuration_error", "unknown store scheme");
    expect(pe_dedup_new("{\"leaseMs\":", &d), "\"field\":\"options\"", "dedup options not JSON");
    if (d != NULL) {
        fprintf(stderr, "FAIL a refused deduplicator left a handle\n");
        failures++;
    }
    expect(pe_dedup_call(NULL, "begin", body, n), "\"field\":\"dedup\"", "null deduplicator");
    expect(pe_dedup_new("{\"url\":\"memory:\",\"ttlMs\":60000,\"leaseMs\":1000}", &d), "\"ok\":true", "dedup");
    expect(pe_dedup_call(d, "begin", body, n), "\"data\":\"started\"", "begin");
    expect(pe_dedup_call(d, "begin", body, n), "\"data\":\"in_progress\"", "begin, leased");
    expect(pe_dedup_call(d, "begin", forged, strlen(forged)), "\"data\":\"conflict\"", "begin, another payload");
    expect(pe_dedup_call(d, "fail", body, n), "\"data\":null", "fail");
    expect(pe_dedup_call(d, "begin", body, n), "\"data\":\"started\"", "begin after fail");
    expect(pe_dedup_call(d, "complete", body, n), "\"data\":null", "complete");
    expect(pe_dedup_call(d, "begin", body, n), "\"data\":\"duplicate\"", "begin, done");
    expect(pe_dedup_call(d, "first_delivery", body, n), "\"data\":false", "first_delivery, done");
    expect(pe_dedup_call(d, "forget", body, n), "\"data\":null", "forget");
    expect(pe_dedup_call(d, "first_delivery", body, n), "\"data\":true", "first_delivery");
    expect(pe_dedup_call(d, "claim", body, n), "\"field\":\"op\"", "unknown dedup op");
    expect(pe_dedup_call(d, NULL, body, n), "\"field\":\"op\"", "null dedup op");
    expect(pe_dedup_call(d, "begin", NULL, 3), "\"field\":\"body\"", "null body");
    expect(pe_dedup_call(d, "begin", "{\0}", 3), "malformed_body", "NUL in the body");
    expect(pe_dedup_call(d, "begin", NULL, 0), "malformed_body", "empty body");
    pe_dedup_free(d);
    pe_dedup_free(NULL);
    /* A store that is not there: a typed, retryable error that never shows the URL's password. */
    d = NULL;
    expect(pe_dedup_new("{\"url\":\"redis://:hunter2@127.0.0.1:1/0\"}", &d), "\"ok\":true", "dedup on redis");
    char *gone = pe_dedup_call(d, "begin", body, n);
    if (gone == NULL || strstr(gone, "hunter2") != NULL) {
        fprintf(stderr, "FAIL the store's password is in %s\n", gone ? gone : "(null)");
        failures++;
    }
    expect(gone, "store_unavailable", "a store that is not there");
    pe_dedup_free(d);
}

int main(void) {
    client_less();
    webhooks();
    deduplicators();

    PeSandbox *sb = NULL;
    expect(pe_sandbox_start(NULL, NULL), "\"field\":\"out\"", "sandbox without out");
    expect(pe_sandbox_start("{\"no_such_option\":1}", &sb), "no_such_option", "unknown sandbox option");
    expect(pe_sandbox_start("[1", &sb), "validation_error", "sandbox options not JSON");
    char *info = pe_sandbox_start("{\"token_lifetime_seconds\":2}", &sb);
    char url[128], access[128], secret[128], config[512];
    if (sb == NULL || !field(info, "baseUrl", url, sizeof url) || !field(info, "accessKey", access, sizeof access) ||
        !field(info, "secretKey", secret, sizeof secret)) {
        fprintf(stderr, "FAIL sandbox: %s\n", info ? info : "(null)");
        pe_string_free(info);
        return 1;
    }
    pe_string_free(info);
    expect(pe_sandbox_call(NULL, "pay", "{\"cip\":1}"), "\"field\":\"sandbox\"", "null sandbox");
    expect(pe_sandbox_call(sb, "pay", "{\"cip\":1}"), "not_found", "unknown CIP");
    expect(pe_sandbox_call(sb, "nope", NULL), "unknown operation", "unknown control op");
    expect(pe_sandbox_call(sb, "fault", "{\"endpoint\":\"nowhere\"}"), "validation_error", "bad fault");
    expect(pe_sandbox_call(sb, "_panic", NULL), "internal_error", "a panic is typed");
    expect(pe_sandbox_call(sb, "info", NULL), "\"ok\":true", "info");

    PeClient *client = NULL;
    expect(pe_client_new("{}", NULL), "\"field\":\"out\"", "client without out");
    expect(pe_client_new(NULL, &client), "\"field\":\"config\"", "null config");
    expect(pe_client_new("{\"secret_key\":\"\xff\"}", &client), "UTF-8", "config not UTF-8");
    snprintf(config, sizeof config, "{\"base_url\":\"%s\",\"access_key\":\"%s\",\"secret_key\":\"\",\"id_service\":1234}",
             url, access);
    expect(pe_client_new(config, &client), "configuration_error", "empty secret refused");
    if (client != NULL) {
        failures++;
    }
    snprintf(config, sizeof config,
             "{\"base_url\":\"%s\",\"access_key\":\"%s\",\"secret_key\":\"%s\",\"id_service\":1234,\"initial_backoff_ms\":5}",
             url, access, secret);
    expect(pe_client_new(config, &client), "\"ok\":true", "client");
    char *created = pe_client_call(client, "cips.create",
                                   "{\"currency\":\"PEN\",\"amount\":\"25.50\",\"transactionCode\":\"C-1\",\"userEmail\":\"a@b.pe\"}");
    char cip[32], args[64];
    if (!number(created, "cip", cip, sizeof cip)) {
        fprintf(stderr, "FAIL cips.create: %s\n", created ? created : "(null)");
        failures++;
        strcpy(cip, "1");
    }
    pe_string_free(created);
    snprintf(args, sizeof args, "{\"cip\":%s}", cip);
    expect(pe_sandbox_call(sb, "pay", args), "operationNumber", "pay");
    expect(pe_client_call(client, "cips.get", args), "\"status\":\"paid\"", "cips.get");
    expect(pe_client_call(client, "cips.create", "{\"amount\":25.5}"), "binary float", "a float amount");
    expect(pe_client_call(client, "cips.get", "{\"cip\":100000000000000}"), "\"field\":\"cip\"", "15 digits");
    expect(pe_client_call(client, "cips.nope", NULL), "unknown operation", "unknown client op");
    expect(pe_client_call(client, NULL, NULL), "\"field\":\"op\"", "null client op");
    expect(pe_client_call(client, "cips.get", "{\"cip\":"), "validation_error", "client args not JSON");
    expect(pe_client_call(NULL, "cips.get", "{\"cip\":1}"), "\"field\":\"client\"", "null handle");
    expect(pe_sandbox_call(sb, "fault", "{\"endpoint\":\"cips_search\",\"kind\":\"drop\",\"times\":1}"), "\"ok\":true", "fault");
    expect(pe_client_call(client, "cips.get", args), "\"status\":\"paid\"", "cips.get retried");
    pe_client_free(client);
    pe_client_free(NULL);
    pe_sandbox_free(sb);
    pe_sandbox_free(NULL);
    pe_string_free(NULL);
    if (failures == 0) {
        printf("C ABI: %d checks of every entry point: ok\n", checks);
    }
    return failures == 0 ? 0 : 1;
}
