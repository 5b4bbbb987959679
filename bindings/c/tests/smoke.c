/* The C ABI from C, through the generated header: sandbox, client, a CIP, an error envelope, every buffer freed. */
#include <stdio.h>
#include <string.h>

#include "pagoefectivo.h"

static int failures = 0;

/* Checks that `answer` contains `want`, then frees it as the contract says. */
static void expect(char *answer, const char *want, const char *what) {
    if (answer == NULL || strstr(answer, want) == NULL) {
        fprintf(stderr, "FAIL %s: want %s in %s\n", what, want, answer ? answer : "(null)");
        failures++;
    }
    pe_string_free(answer);
}

/* Copies the string value of `"key":"..."` in `json` into `out`; 0 when absent or too long. */
static int field(const char *json, const char *key, char *out, size_t size) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    const char *start = strstr(json, pattern);
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

int main(void) {
    PeSandbox *sb = NULL;
    char *info = pe_sandbox_start(NULL, &sb);
    if (sb == NULL || strstr(info, "\"ok\":true") == NULL) {
        fprintf(stderr, "FAIL sandbox: %s\n", info ? info : "(null)");
        pe_string_free(info);
        return 1;
    }
    char url[128], access[128], secret[128], config[512];
    if (!field(info, "baseUrl", url, sizeof url) || !field(info, "accessKey", access, sizeof access) ||
        !field(info, "secretKey", secret, sizeof secret)) {
        fprintf(stderr, "FAIL sandbox info: %s\n", info);
        return 1;
    }
    pe_string_free(info);

    PeClient *client = NULL;
    snprintf(config, sizeof config, "{\"base_url\":\"%s\",\"access_key\":\"%s\",\"secret_key\":\"\",\"id_service\":1234}",
             url, access);
    expect(pe_client_new(config, &client), "configuration_error", "empty secret refused");
    if (client != NULL) {
        failures++;
    }
    snprintf(config, sizeof config, "{\"base_url\":\"%s\",\"access_key\":\"%s\",\"secret_key\":\"%s\",\"id_service\":1234}",
             url, access, secret);
    expect(pe_client_new(config, &client), "\"ok\":true", "client");
    expect(pe_client_call(client, "cips.create",
                          "{\"currency\":\"PEN\",\"amount\":\"25.50\",\"transactionCode\":\"C-1\",\"userEmail\":\"a@b.pe\"}"),
           "\"amount\":\"25.50\"", "cips.create");
    pe_client_free(client);
    expect(pe_client_call(NULL, "cips.get", "{\"cip\":1}"), "\"field\":\"client\"", "null handle");
    expect(pe_call("cip.status", "23"), "\"data\":\"paid\"", "cip.status");
    expect(pe_call("time.parse", "{not json"), "validation_error", "invalid JSON");
    expect(pe_webhook_verify("{}", 2, NULL, "k"), "missing_signature", "unsigned webhook");
    expect(pe_sandbox_call(sb, "pay", "{\"cip\":1}"), "not_found", "unknown CIP");
    pe_client_free(NULL);
    pe_sandbox_free(sb);
    if (failures == 0) {
        printf("C ABI smoke test: ok\n");
    }
    return failures == 0 ? 0 : 1;
}
