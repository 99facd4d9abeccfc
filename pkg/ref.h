/*
 * ref.h — references from related records to opportunities, normalised so
 * that equal records compare equal as bytes (SPEC §6, "Joining").
 *
 * Part of the values layer. Salesforce ids are compared in their 18-
 * character case-safe form: reports give 15 characters, the API 18, and a
 * spreadsheet may have changed the case of an 18-character id, which its
 * suffix repairs. Ids are never compared case-insensitively: two 15-
 * character ids that differ only in case are different records.
 */
#ifndef MC_REF_H
#define MC_REF_H

#include <stdbool.h>
#include <stddef.h>

/* Longest normalised reference kept; longer ones are cut (and still
 * compared by their first MC_REF_MAX bytes plus a hash of the rest). */
#define MC_REF_MAX 96

/* True when s[0..len) (trimmed by the caller) is shaped like a Salesforce
 * id: 15 or 18 characters of [0-9A-Za-z], not all digits (a HubSpot or
 * Pipedrive number is never one). out then holds the 18-character form:
 * the first 15 characters as they are, and the 3-character suffix computed
 * from their case (for each 5-character chunk, bit i set when character i
 * is A-Z; 0-25 as A-Z, 26-31 as 0-5). out is not NUL-terminated. */
bool mc_ref_salesforce(const char *s, size_t len, char out[18]);

/* The key a reference is compared by, into out (at least MC_REF_MAX
 * bytes): Salesforce ids in 18-character form, Dynamics GUIDs without
 * braces and in lower case, anything else trimmed and as it is. Returns
 * its length (0 for an empty reference); *salesforce tells the first
 * case (may be NULL). */
size_t mc_ref_key(const char *s, size_t len, char *out, bool *salesforce);

/* Is s[0..len) (untrimmed) a GUID, braces optional (8-4-4-4-12 hex)? */
bool mc_ref_is_guid(const char *s, size_t len);

/* Splits a cell that may hold several references (HubSpot's "Associated
 * Deal IDs": ';' or ',' separated): the next one after *pos, trimmed, in
 * *ref and *rlen; false when there is no more. Start with *pos = 0. */
bool mc_ref_next(const char *s, size_t len, size_t *pos, const char **ref, size_t *rlen);

#endif
