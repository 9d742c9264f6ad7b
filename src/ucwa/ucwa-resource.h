/* ucwa-resource.h: hypermedia helpers.
 *
 * UCWA resources carry `_links` and `_embedded`; either may hold an object or
 * an array of objects under one rel.  Hrefs are mostly relative and must be
 * resolved against the scheme and host of the applications URL; server query
 * parameters in them are kept as they are.  Every accessor tolerates a
 * missing or mistyped member and returns NULL instead.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A string member, or NULL when absent or not a string. */
const char *ucwa_resource_get_string (JsonObject *resource,
                                      const char *member);

/* The href of `_links.<rel>` (the first one if it is an array), or NULL. */
const char *ucwa_resource_get_link (JsonObject *resource,
                                    const char *rel);
/* The title of `_links.<rel>`, or NULL. */
const char *ucwa_resource_get_link_title (JsonObject *resource,
                                          const char *rel);
/* Every link object under `_links.<rel>`, object or array alike (for
 * example `failedDeliveryParticipant`); NULL when there is none.  Free the
 * list with g_list_free (the objects belong to @resource). */
GList      *ucwa_resource_get_link_list (JsonObject *resource,
                                         const char *rel);

/* `_embedded.<rel>` (the first one if it is an array), or NULL. */
JsonObject *ucwa_resource_get_embedded (JsonObject *resource,
                                        const char *rel);
/* Every object under `_embedded.<rel>`, object or array alike; never NULL.
 * Free the list with g_list_free (the objects belong to @resource). */
GList      *ucwa_resource_get_embedded_list (JsonObject *resource,
                                             const char *rel);

/* Resolves @href against @base (an absolute http or https URL) as RFC 3986
 * says, keeping the href's escapes and query parameters byte for byte.
 * Returns a new absolute http(s) URL, or NULL when @href cannot be resolved
 * (a data: URI, or any other non-HTTP scheme, is not an href). */
char *ucwa_resource_resolve (const char *base,
                             const char *href);

/* Compares two hrefs the way UCWA needs: case-insensitively (the reference
 * cases one and the same href differently). */
gboolean ucwa_href_equal (const char *a,
                          const char *b);
guint    ucwa_href_hash  (gconstpointer href);

/* "sip:Bob@Example.test" -> "bob@example.test"; NULL stays NULL.  The
 * `sip:` prefix is matched case-insensitively; a string without it is only
 * lower-cased.  Not for conference URIs, whose opaque ids are case-sensitive. */
char *ucwa_uri_to_address (const char *sip_uri);
/* "Bob@example.test" -> "sip:bob@example.test"; an existing `sip:` prefix is
 * not doubled; NULL stays NULL. */
char *ucwa_address_to_uri (const char *address);

/* `"\/Date(1364327898968)\/"` -> seconds since the epoch, 0 if unparsable.
 * Accepts the parsed JSON string (`/Date(...)/`) and the raw escaped form; a
 * zone suffix such as `+0100` is ignored (the milliseconds are UTC). */
gint64 ucwa_parse_date (const char *value);

G_END_DECLS
