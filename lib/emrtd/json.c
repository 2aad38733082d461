/* The verification result as JSON (the `kouan emrtd verify` contract). */
#include "emrtd_internal.h"

#include <string.h>

static const char *sig_name(kouan_emrtd_sig_status s)
{
    return s == KOUAN_EMRTD_SIG_VALID ? "valid"
         : s == KOUAN_EMRTD_SIG_UNSUPPORTED ? "unsupported" : "invalid";
}

static const char *chain_name(kouan_emrtd_chain_status s)
{
    return s == KOUAN_EMRTD_CHAIN_TRUSTED ? "trusted"
         : s == KOUAN_EMRTD_CHAIN_UNTRUSTED ? "untrusted" : "unknown";
}

static const char *dg_name(kouan_emrtd_dg_status s)
{
    switch (s) {
    case KOUAN_EMRTD_DG_MATCH: return "match";
    case KOUAN_EMRTD_DG_MISMATCH: return "mismatch";
    case KOUAN_EMRTD_DG_NOT_LISTED: return "not_listed";
    case KOUAN_EMRTD_DG_MISSING: return "missing";
    default: return NULL;
    }
}

static const char *aa_name(kouan_emrtd_aa_status s)
{
    switch (s) {
    case KOUAN_EMRTD_AA_VALID: return "valid";
    case KOUAN_EMRTD_AA_INVALID: return "invalid";
    case KOUAN_EMRTD_AA_UNSUPPORTED: return "unsupported";
    default: return "not_performed";
    }
}

static void msgs(kouan_buf *b, const kouan_emrtd_msgs *l)
{
    kouan_buf_putc(b, '[');
    for (int i = 0; i < l->n; i++) {
        int first = 1;
        if (i)
            kouan_buf_putc(b, ',');
        kouan_buf_putc(b, '{');
        kouan_json_key(b, &first, "code");
        kouan_json_cstr(b, l->m[i].code);
        kouan_json_key(b, &first, "message");
        kouan_json_cstr(b, l->m[i].text);
        kouan_buf_putc(b, '}');
    }
    if (l->dropped)
        kouan_buf_printf(b, "%s{\"code\":\"more\",\"message\":\"%d more not shown\"}",
                         l->n ? "," : "", l->dropped);
    kouan_buf_putc(b, ']');
}

static void str_or_null(kouan_buf *b, const char *s)
{
    kouan_json_cstr(b, s && s[0] ? s : NULL);
}

kouan_err kouan_emrtd_result_to_json(const kouan_emrtd_result *r, kouan_buf *b)
{
    int first = 1, f2;
    kouan_buf_putc(b, '{');
    kouan_json_key(b, &first, "passive_authentication");
    kouan_json_cstr(b, kouan_emrtd_verdict_name(r->verdict));

    kouan_json_key(b, &first, "signature");
    f2 = 1;
    kouan_buf_putc(b, '{');
    kouan_json_key(b, &f2, "status");
    kouan_json_cstr(b, sig_name(r->signature));
    kouan_json_key(b, &f2, "algorithm");
    str_or_null(b, r->algorithm);
    kouan_json_key(b, &f2, "signer");
    str_or_null(b, r->signer);
    kouan_json_key(b, &f2, "signer_serial");
    str_or_null(b, r->signer_serial);
    kouan_json_key(b, &f2, "signer_embedded");
    kouan_buf_puts(b, r->signer_embedded ? "true" : "false");
    kouan_buf_putc(b, '}');

    kouan_json_key(b, &first, "chain");
    f2 = 1;
    kouan_buf_putc(b, '{');
    kouan_json_key(b, &f2, "status");
    kouan_json_cstr(b, chain_name(r->chain));
    kouan_json_key(b, &f2, "path");
    kouan_buf_putc(b, '[');
    for (int i = 0; i < r->path_len; i++) {
        if (i)
            kouan_buf_putc(b, ',');
        kouan_json_cstr(b, r->path[i]);
    }
    kouan_buf_putc(b, ']');
    kouan_json_key(b, &f2, "checked_at");
    char d[11];
    kouan_date_format(kouan_date_from_days((long)(r->checked_at / 86400)), d);
    kouan_json_cstr(b, d);
    kouan_buf_putc(b, '}');

    kouan_json_key(b, &first, "hash_algorithm");
    str_or_null(b, r->hash_algorithm);
    kouan_json_key(b, &first, "lds_security_object_version");
    if (r->lds_version >= 0)
        kouan_json_int(b, r->lds_version);
    else
        kouan_buf_puts(b, "null");

    kouan_json_key(b, &first, "data_groups");
    f2 = 1;
    kouan_buf_putc(b, '{');
    for (int dg = 1; dg <= KOUAN_EMRTD_MAX_DG; dg++) {
        const char *s = dg_name(r->dg[dg]);
        if (!s)
            continue;
        char key[8];
        key[0] = 'D';
        key[1] = 'G';
        if (dg >= 10) {
            key[2] = (char)('0' + dg / 10);
            key[3] = (char)('0' + dg % 10);
            key[4] = '\0';
        } else {
            key[2] = (char)('0' + dg);
            key[3] = '\0';
        }
        kouan_json_key(b, &f2, key);
        kouan_json_cstr(b, s);
    }
    kouan_buf_putc(b, '}');

    kouan_json_key(b, &first, "dg1_mrz");
    if (r->has_dg1_mrz)
        kouan_mrz_to_json(&r->dg1_mrz, b);
    else
        kouan_buf_puts(b, "null");

    kouan_json_key(b, &first, "mrz_comparison");
    if (r->has_mrz_comparison) {
        f2 = 1;
        kouan_buf_putc(b, '{');
        kouan_json_key(b, &f2, "status");
        kouan_json_cstr(b, r->mrz_match ? "match" : "mismatch");
        kouan_json_key(b, &f2, "fields");
        int f3 = 1;
        kouan_buf_putc(b, '{');
        for (int i = 0; i < KOUAN_MRZ_FIELD_COUNT; i++) {
            if (!r->mrz_field_cmp[i])
                continue;
            kouan_json_key(b, &f3, kouan_mrz_field_name((kouan_mrz_field)i));
            kouan_json_cstr(b, r->mrz_field_cmp[i] == 1 ? "match" : "mismatch");
        }
        kouan_buf_puts(b, "}}");
    } else {
        kouan_buf_puts(b, "null");
    }

    kouan_json_key(b, &first, "active_authentication");
    f2 = 1;
    kouan_buf_putc(b, '{');
    kouan_json_key(b, &f2, "status");
    kouan_json_cstr(b, aa_name(r->aa));
    kouan_json_key(b, &f2, "algorithm");
    str_or_null(b, r->aa_algorithm);
    kouan_buf_putc(b, '}');

    kouan_json_key(b, &first, "card_security");
    if (r->has_card_security) {
        kouan_buf_puts(b, "{\"signature\":{\"status\":");
        kouan_json_cstr(b, sig_name(r->cs_signature));
        kouan_buf_puts(b, ",\"algorithm\":");
        str_or_null(b, r->cs_algorithm);
        kouan_buf_puts(b, ",\"signer\":");
        str_or_null(b, r->cs_signer);
        kouan_buf_puts(b, "},\"chain\":{\"status\":");
        kouan_json_cstr(b, chain_name(r->cs_chain));
        kouan_buf_puts(b, "}}");
    } else {
        kouan_buf_puts(b, "null");
    }

    kouan_json_key(b, &first, "deviations");
    msgs(b, &r->deviations);
    kouan_json_key(b, &first, "warnings");
    msgs(b, &r->warnings);
    kouan_json_key(b, &first, "errors");
    msgs(b, &r->errors);
    return kouan_buf_putc(b, '}');
}
