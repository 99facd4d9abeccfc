/*
 * ref.c — reference keys (see ref.h).
 */
#include "ref.h"

#include <string.h>

#include "date.h"

static bool is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool mc_ref_salesforce(const char *s, size_t len, char out[18])
{
    if (len != 15 && len != 18)
        return false;
    bool digits_only = true;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!is_alnum(c))
            return false;
        digits_only &= c >= '0' && c <= '9';
    }
    if (digits_only)
        return false;
    static const char suffix[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    memcpy(out, s, 15);
    for (int chunk = 0; chunk < 3; chunk++) {
        unsigned bits = 0;
        for (int i = 0; i < 5; i++) {
            unsigned char c = (unsigned char)s[chunk * 5 + i];
            if (c >= 'A' && c <= 'Z')
                bits |= 1u << i;
        }
        out[15 + chunk] = suffix[bits];
    }
    return true;
}

/* A GUID, braces optional: 8-4-4-4-12 hex digits. */
static bool is_guid(const char *s, size_t len)
{
    if (len == 38 && s[0] == '{' && s[37] == '}')
        s++, len -= 2;
    if (len != 36)
        return false;
    for (size_t i = 0; i < 36; i++) {
        char c = s[i];
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? c != '-'
                 : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return true;
}

bool mc_ref_is_guid(const char *s, size_t len)
{
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    return is_guid(s, len);
}

size_t mc_ref_key(const char *s, size_t len, char *out, bool *salesforce)
{
    len = mc_value_trim(&s, len);
    if (salesforce)
        *salesforce = false;
    if (mc_ref_salesforce(s, len, out)) {
        if (salesforce)
            *salesforce = true;
        return 18;
    }
    if (is_guid(s, len)) {
        if (s[0] == '{')
            s++;
        for (size_t i = 0; i < 36; i++)
            out[i] = (char)(s[i] >= 'A' && s[i] <= 'F' ? s[i] - 'A' + 'a' : s[i]);
        return 36;
    }
    if (len > MC_REF_MAX)
        len = MC_REF_MAX;
    memcpy(out, s, len);
    return len;
}

bool mc_ref_next(const char *s, size_t len, size_t *pos, const char **ref, size_t *rlen)
{
    while (*pos < len) {
        size_t a = *pos, b = a;
        while (b < len && s[b] != ';' && s[b] != ',')
            b++;
        *pos = b < len ? b + 1 : b;
        const char *p = s + a;
        size_t n = mc_value_trim(&p, b - a);
        if (n) {
            *ref = p;
            *rlen = n;
            return true;
        }
    }
    return false;
}
