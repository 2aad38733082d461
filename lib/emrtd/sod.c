/* EF.SOD: the 0x77 wrapper, CMS SignedData (RFC 5652) and the LDS Security
 * Object (Doc 9303 Part 10, 4.6.2), read over views into the file.
 *
 * Strict by default: what Doc 9303 requires is checked and every departure
 * is an error. A few departures seen on issued documents are accepted with
 * `relaxed` and then listed as deviations: eContentType id-data instead of
 * id-icao-ldsSecurityObject, bytes after the SOD, a missing 0x77 wrapper,
 * SignerInfo version not matching its identifier. BER length forms
 * (indefinite, non-minimal) are valid CMS and always accepted, but listed. */
#include "emrtd_internal.h"

#include <stdlib.h>
#include <string.h>

#define OID_SIGNED_DATA "1.2.840.113549.1.7.2"
#define OID_DATA "1.2.840.113549.1.7.1"
#define OID_LDS_SO "2.23.136.1.1.1"
#define OID_CONTENT_TYPE "1.2.840.113549.1.9.3"
#define OID_MESSAGE_DIGEST "1.2.840.113549.1.9.4"
#define OID_SIGNING_TIME "1.2.840.113549.1.9.5"
#define ECONTENT_CAP (1u << 20)

#define ERR(code, ...) kouan__emrtd_msg(err, code, __VA_ARGS__)
#define DEV(code, ...) kouan__emrtd_msg(dev, code, __VA_ARGS__)

void kouan__sod_free(kouan_sod *s)
{
    free(s->econtent_owned);
    s->econtent_owned = NULL;
}

/* An OCTET STRING's value; a BER constructed one is joined into s's own
 * buffer. */
static int octets(const der_tlv *t, kouan_sod *s, const uint8_t **p, size_t *n)
{
    if (t->tag == TAG_OCTSTR) {
        *p = t->v;
        *n = t->vn;
        return 0;
    }
    if (t->tag != (TAG_OCTSTR | 0x20))
        return -1;
    der_iter it;
    der_tlv c;
    size_t total = 0;
    der_iter_init(&it, t);
    while (kouan__der_next(&it, &c) == 1) {
        if (c.tag != TAG_OCTSTR || c.vn > ECONTENT_CAP - total)
            return -1;
        total += c.vn;
    }
    if (it.err)
        return -1;
    uint8_t *buf = malloc(total ? total : 1);
    if (!buf)
        return -1;
    size_t o = 0;
    der_iter_init(&it, t);
    while (kouan__der_next(&it, &c) == 1) {
        memcpy(buf + o, c.v, c.vn);
        o += c.vn;
    }
    free(s->econtent_owned);
    s->econtent_owned = buf;
    *p = buf;
    *n = total;
    return 0;
}

static void signed_attrs(kouan_sod *s, kouan_emrtd_msgs *err)
{
    der_iter it;
    der_tlv a;
    der_iter_init(&it, &s->signed_attrs);
    while (kouan__der_next(&it, &a) == 1) {
        der_iter ai, vi;
        der_tlv oid, vals, v;
        der_iter_init(&ai, &a);
        if (a.tag != TAG_SEQ || kouan__der_next(&ai, &oid) != 1 ||
            oid.tag != TAG_OID || kouan__der_next(&ai, &vals) != 1 ||
            vals.tag != TAG_SET) {
            ERR("signed_attributes", "a signed attribute is malformed");
            return;
        }
        der_iter_init(&vi, &vals);
        if (kouan__der_next(&vi, &v) != 1)
            continue;
        if (kouan__der_oid_is(&oid, OID_MESSAGE_DIGEST) && v.tag == TAG_OCTSTR) {
            s->attr_digest = v.v;
            s->attr_digest_len = v.vn;
        } else if (kouan__der_oid_is(&oid, OID_CONTENT_TYPE) && v.tag == TAG_OID) {
            s->attr_ctype = v.v;
            s->attr_ctype_len = v.vn;
        } else if (kouan__der_oid_is(&oid, OID_SIGNING_TIME)) {
            kouan__der_time(&v, &s->signing_time);
        }
    }
    if (it.err)
        ERR("signed_attributes", "the signed attributes are malformed");
}

static int signer_info(const der_tlv *si, int relaxed, kouan_sod *s,
                       kouan_emrtd_msgs *dev, kouan_emrtd_msgs *err)
{
    der_iter it;
    der_tlv ver, sid, dalg, t;
    long v;
    der_iter_init(&it, si);
    if (si->tag != TAG_SEQ || kouan__der_next(&it, &ver) != 1 ||
        kouan__der_int(&ver, &v) || kouan__der_next(&it, &sid) != 1 ||
        kouan__der_next(&it, &dalg) != 1 || dalg.tag != TAG_SEQ) {
        ERR("signer_info", "the SignerInfo is malformed");
        return -1;
    }
    if (sid.tag == TAG_SEQ) {
        der_iter ii;
        der_iter_init(&ii, &sid);
        if (kouan__der_next(&ii, &s->sid_issuer) != 1 ||
            s->sid_issuer.tag != TAG_SEQ ||
            kouan__der_next(&ii, &s->sid_serial) != 1 ||
            s->sid_serial.tag != TAG_INTEGER) {
            ERR("signer_info", "the signer's issuer and serial number are malformed");
            return -1;
        }
        s->sid_is_ski = 0;
    } else if (sid.tag == 0x80) {
        s->sid_ski = sid;
        s->sid_is_ski = 1;
    } else {
        ERR("signer_info", "the signer identifier is neither issuer and serial number nor key identifier");
        return -1;
    }
    if ((v == 1 && s->sid_is_ski) || (v == 3 && !s->sid_is_ski) ||
        (v != 1 && v != 3)) {
        /* The version does not enter the signature: a mismatch is noted,
         * not held against the document. */
        if (v == 1 || v == 3)
            DEV("signer_info_version", "SignerInfo version %ld does not match its signer identifier", v);
        else {
            ERR("signer_info_version", "SignerInfo version %ld does not match its signer identifier (RFC 5652: 1 for issuer and serial, 3 for key identifier)", v);
            return -1;
        }
    }
    der_iter dai;
    der_tlv doid;
    der_iter_init(&dai, &dalg);
    if (kouan__der_next(&dai, &doid) != 1 ||
        !(s->signer_digest = kouan__hash_by_oid(&doid))) {
        ERR("digest_algorithm", "the signer's digest algorithm is not SHA-1/224/256/384/512");
        return -1;
    }
    int r = kouan__der_expect(&it, TAG_CTX0, &s->signed_attrs);
    if (r < 0)
        goto bad;
    s->has_signed_attrs = r == 1;
    if (kouan__der_next(&it, &s->sig_algid) != 1 || s->sig_algid.tag != TAG_SEQ ||
        kouan__der_next(&it, &s->signature) != 1 || s->signature.tag != TAG_OCTSTR)
        goto bad;
    r = kouan__der_expect(&it, TAG_CTX1, &t); /* unsigned attributes */
    if (r < 0 || kouan__der_next(&it, &t) != 0)
        goto bad;
    if (s->has_signed_attrs)
        signed_attrs(s, err);
    else if (relaxed)
        DEV("signed_attributes", "the SignerInfo has no signed attributes; the signature is checked over the content");
    else
        ERR("signed_attributes", "the SignerInfo has no signed attributes (Doc 9303 requires them)");
    s->has_signer = 1;
    return 0;
bad:
    ERR("signer_info", "the SignerInfo is malformed");
    return -1;
}

/* LDSSecurityObject ::= SEQUENCE { version, hashAlgorithm,
 * dataGroupHashValues SEQUENCE OF DataGroupHash, ldsVersionInfo OPTIONAL } */
static int lds_so(const uint8_t *p, size_t n, int relaxed, kouan_sod *s,
                  kouan_emrtd_msgs *dev, kouan_emrtd_msgs *err)
{
    der_tlv so, ver, alg, list, t;
    size_t used;
    long v;
    if (kouan__der_read(p, n, &so, &used) || so.tag != TAG_SEQ) {
        ERR("lds_security_object", "the LDS security object is not a DER SEQUENCE");
        return -1;
    }
    if (used != n) {
        ERR("lds_security_object", "%zu bytes follow the LDS security object", n - used);
        return -1;
    }
    der_iter it;
    der_iter_init(&it, &so);
    if (kouan__der_next(&it, &ver) != 1 || kouan__der_int(&ver, &v)) {
        ERR("lds_security_object", "the LDS security object has no version");
        return -1;
    }
    if (v != 0 && v != 1) {
        ERR("lds_version", "LDS security object version %ld (Doc 9303: 0 or 1)", v);
        return -1;
    }
    s->lds_version = (int)v;
    der_iter ai;
    der_tlv aoid;
    if (kouan__der_next(&it, &alg) != 1 || alg.tag != TAG_SEQ) {
        ERR("lds_security_object", "the LDS security object has no hash algorithm");
        return -1;
    }
    der_iter_init(&ai, &alg);
    if (kouan__der_next(&ai, &aoid) != 1 || !(s->dg_hash = kouan__hash_by_oid(&aoid))) {
        ERR("hash_algorithm", "the data group hash algorithm is not SHA-1/224/256/384/512");
        return -1;
    }
    if (kouan__der_next(&it, &list) != 1 || list.tag != TAG_SEQ) {
        ERR("lds_security_object", "the LDS security object has no data group hash list");
        return -1;
    }
    der_iter li;
    der_tlv dgh;
    der_iter_init(&li, &list);
    int r;
    while ((r = kouan__der_next(&li, &dgh)) == 1) {
        der_iter hi;
        der_tlv num, hv;
        long dg;
        der_iter_init(&hi, &dgh);
        if (dgh.tag != TAG_SEQ || kouan__der_next(&hi, &num) != 1 ||
            kouan__der_int(&num, &dg) || kouan__der_next(&hi, &hv) != 1 ||
            hv.tag != TAG_OCTSTR || kouan__der_next(&hi, &t) != 0) {
            ERR("lds_security_object", "a data group hash entry is malformed");
            return -1;
        }
        if (dg < 1 || dg > KOUAN_EMRTD_MAX_DG) {
            ERR("data_group_number", "data group number %ld is outside 1..16", dg);
            return -1;
        }
        for (int i = 0; i < s->n_hashes; i++)
            if (s->hashes[i].dg == dg) {
                ERR("data_group_number", "DG%ld is listed twice", dg);
                return -1;
            }
        if (hv.vn != s->dg_hash->len) {
            ERR("hash_length", "the DG%ld hash has %zu bytes, %s has %zu", dg,
                hv.vn, s->dg_hash->name, s->dg_hash->len);
            return -1;
        }
        if (s->n_hashes == KOUAN_EMRTD_MAX_DG) {
            ERR("lds_security_object", "more than 16 data group hashes");
            return -1;
        }
        s->hashes[s->n_hashes++] = (sod_dg_hash){(int)dg, hv.v, hv.vn};
    }
    if (r < 0) {
        ERR("lds_security_object", "the data group hash list is malformed");
        return -1;
    }
    if (s->n_hashes == 0) {
        ERR("lds_security_object", "the data group hash list is empty");
        return -1;
    }
    r = kouan__der_next(&it, &t);
    if (r == 1 && t.tag == TAG_SEQ) {
        der_iter vi;
        der_tlv a, b;
        der_iter_init(&vi, &t);
        if (kouan__der_next(&vi, &a) == 1 && kouan__der_next(&vi, &b) == 1 &&
            a.vn < 12 && b.vn < 12) {
            memcpy(s->lds_info, a.v, a.vn);
            s->lds_info[a.vn] = ' ';
            memcpy(s->lds_info + a.vn + 1, b.v, b.vn);
            s->lds_info[a.vn + 1 + b.vn] = '\0';
        }
        r = kouan__der_next(&it, &t);
    } else if (r == 0 && v == 1) {
        if (!relaxed) {
            ERR("lds_version", "LDS security object version 1 without its LDS version info");
            return -1;
        }
        DEV("lds_version", "LDS security object version 1 without its LDS version info");
    }
    if (r != 0) {
        ERR("lds_security_object", "unexpected data at the end of the LDS security object");
        return -1;
    }
    s->content_ok = 1;
    return 0;
}

/* ContentInfo -> SignedData: content, certificates, first SignerInfo. */
static int cms(const der_tlv *cip, const char *want_oid, int relaxed,
               kouan_sod *s, kouan_emrtd_msgs *dev, kouan_emrtd_msgs *err)
{
    der_tlv ci = *cip, t, sd, ver, dalgs, eci, ctype, ec, oct;
    int ber = ci.ber;
    der_iter it;
    der_iter_init(&it, &ci);
    if (ci.tag != TAG_SEQ || kouan__der_next(&it, &t) != 1 || t.tag != TAG_OID) {
        ERR("sod_structure", "EF.SOD does not hold a CMS ContentInfo");
        return -1;
    }
    if (!kouan__der_oid_is(&t, OID_SIGNED_DATA)) {
        char o[96];
        kouan__der_oid_text(t.v, t.vn, o, sizeof o);
        ERR("content_type", "the ContentInfo type is %s, not signedData (1.2.840.113549.1.7.2)", o);
        return -1;
    }
    der_tlv x;
    if (kouan__der_next(&it, &x) != 1 || x.tag != TAG_CTX0 ||
        kouan__der_next(&it, &t) != 0) {
        ERR("sod_structure", "the ContentInfo has no [0] content");
        return -1;
    }
    ber |= it.ber;
    der_iter xi;
    der_iter_init(&xi, &x);
    if (kouan__der_next(&xi, &sd) != 1 || sd.tag != TAG_SEQ ||
        kouan__der_next(&xi, &t) != 0) {
        ERR("sod_structure", "the SignedData is not a SEQUENCE");
        return -1;
    }
    der_iter_init(&it, &sd);
    long v;
    if (kouan__der_next(&it, &ver) != 1 || kouan__der_int(&ver, &v)) {
        ERR("sod_structure", "the SignedData has no version");
        return -1;
    }
    /* Version 3 (Doc 9303; RFC 5652 for a content type other than id-data).
     * Checked with the content type below: with id-data, 1 is RFC-correct. */
    long sd_version = v;
    if (v != 3 && v != 1) {
        ERR("signed_data_version", "SignedData version %ld (Doc 9303: 3)", v);
        return -1;
    }
    if (kouan__der_next(&it, &dalgs) != 1 || dalgs.tag != TAG_SET) {
        ERR("sod_structure", "the SignedData digestAlgorithms is not a SET");
        return -1;
    }
    if (kouan__der_next(&it, &eci) != 1 || eci.tag != TAG_SEQ) {
        ERR("sod_structure", "the SignedData has no encapsulated content");
        return -1;
    }
    der_iter ei;
    der_iter_init(&ei, &eci);
    if (kouan__der_next(&ei, &ctype) != 1 || ctype.tag != TAG_OID) {
        ERR("sod_structure", "the encapsulated content has no type");
        return -1;
    }
    s->econtent_type = ctype.v;
    s->econtent_type_len = ctype.vn;
    if (sd_version != 3) {
        if (!(relaxed && kouan__der_oid_is(&ctype, OID_DATA))) {
            ERR("signed_data_version", "SignedData version %ld (Doc 9303: 3)", sd_version);
            return -1;
        }
        DEV("signed_data_version", "SignedData version 1 with eContentType id-data");
    }
    if (!kouan__der_oid_is(&ctype, want_oid)) {
        char o[96];
        kouan__der_oid_text(ctype.v, ctype.vn, o, sizeof o);
        if (kouan__der_oid_is(&ctype, OID_DATA) && relaxed) {
            DEV("econtent_type", "eContentType is id-data (%s), not id-icao-ldsSecurityObject", o);
        } else {
            ERR("econtent_type", "eContentType is %s, not %s", o, want_oid);
            return -1;
        }
    }
    der_iter oi;
    if (kouan__der_next(&ei, &ec) != 1 || ec.tag != TAG_CTX0) {
        ERR("sod_structure", "the encapsulated content is absent");
        return -1;
    }
    der_iter_init(&oi, &ec);
    if (kouan__der_next(&oi, &oct) != 1 ||
        octets(&oct, s, &s->econtent, &s->econtent_len)) {
        ERR("sod_structure", "the encapsulated content is not an OCTET STRING");
        return -1;
    }
    ber |= ei.ber | oi.ber;
    int r = kouan__der_expect(&it, TAG_CTX0, &t);
    if (r == 1) {
        der_iter ci2;
        der_tlv c;
        der_iter_init(&ci2, &t);
        while (kouan__der_next(&ci2, &c) == 1)
            if (c.tag == TAG_SEQ && s->n_certs < SOD_MAX_CERTS)
                s->certs[s->n_certs++] = c;
        if (ci2.err) {
            ERR("sod_structure", "the certificate list is malformed");
            return -1;
        }
    }
    if (r >= 0)
        r = kouan__der_expect(&it, TAG_CTX1, &t);
    der_tlv sis;
    if (r < 0 || kouan__der_next(&it, &sis) != 1 || sis.tag != TAG_SET ||
        kouan__der_next(&it, &t) != 0) {
        ERR("sod_structure", "the SignedData signerInfos are missing or malformed");
        return -1;
    }
    ber |= it.ber;
    der_iter si;
    der_tlv one;
    int nsi = 0;
    der_iter_init(&si, &sis);
    while (kouan__der_next(&si, &one) == 1) {
        if (nsi++ == 0 && signer_info(&one, relaxed, s, dev, err))
            return -1;
    }
    if (si.err || nsi == 0) {
        ERR("signer_info", "the SignedData has no readable SignerInfo");
        return -1;
    }
    if (nsi > 1)
        DEV("signer_infos", "%d SignerInfos; the first is verified", nsi);
    if (ber)
        DEV("ber_encoding", "the signed data uses BER length forms (indefinite or non-minimal), which Doc 9303 asks to avoid");
    return 0;
}

int kouan__sod_parse(const uint8_t *p, size_t n, int relaxed, kouan_sod *s,
                     kouan_emrtd_msgs *dev, kouan_emrtd_msgs *err)
{
    memset(s, 0, sizeof *s);
    s->lds_version = -1;
    der_tlv w, ci;
    size_t used;
    if (!p || n == 0) {
        ERR("sod_empty", "EF.SOD is empty");
        return -1;
    }
    if (kouan__der_read(p, n, &w, &used)) {
        ERR("sod_structure", "EF.SOD is not a well-formed ASN.1 object (truncated or bad length)");
        return -1;
    }
    if (w.tag == 0x77) {
        if (kouan__der_read(w.v, w.vn, &ci, &used) || used != w.vn) {
            ERR("sod_structure", "the 0x77 wrapper does not hold exactly one ContentInfo");
            return -1;
        }
    } else if (w.tag == TAG_SEQ) {
        if (!relaxed) {
            ERR("sod_wrapper", "EF.SOD does not start with the 0x77 tag (seen 0x30)");
            return -1;
        }
        DEV("sod_wrapper", "EF.SOD has no 0x77 wrapper");
        ci = w;
    } else {
        ERR("sod_wrapper", "EF.SOD does not start with the 0x77 tag (seen 0x%X)", (unsigned)w.tag);
        return -1;
    }
    if (w.rawn != n) {
        if (!relaxed) {
            ERR("trailing_data", "%zu bytes follow the EF.SOD object", n - w.rawn);
            return -1;
        }
        DEV("trailing_data", "%zu bytes follow the EF.SOD object (ignored)", n - w.rawn);
    }
    if (cms(&ci, OID_LDS_SO, relaxed, s, dev, err))
        return -1;
    if (w.ber)
        DEV("ber_encoding", "EF.SOD uses BER length forms (indefinite or non-minimal), which Doc 9303 asks to avoid");
    if (lds_so(s->econtent, s->econtent_len, relaxed, s, dev, err))
        return -1;
    return err->n ? -1 : 0;
}

int kouan__cms_parse(const uint8_t *p, size_t n, const char *want_oid,
                     kouan_sod *s, kouan_emrtd_msgs *err)
{
    kouan_emrtd_msgs dev;
    der_tlv ci;
    size_t used;
    memset(s, 0, sizeof *s);
    memset(&dev, 0, sizeof dev);
    s->lds_version = -1;
    if (!p || kouan__der_read(p, n, &ci, &used)) {
        ERR("cms_structure", "not a well-formed ASN.1 object");
        return -1;
    }
    return cms(&ci, want_oid, 0, s, &dev, err);
}
