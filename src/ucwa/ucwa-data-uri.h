/* ucwa-data-uri.h: data URIs, the way UCWA carries message bodies.
 *
 * Seen in the reference: `data:text/plain;charset=utf-8,Hi+Tosh%0d%0a`
 * (percent-encoded, `+` is a space), `data:text/plain;charset=utf8,...`,
 * `data:text/html;base64,...`, `data:text/plain,Hello+World`.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Decodes @uri.  Returns the body as valid UTF-8 (converted from the
 * declared charset, default UTF-8; bytes that are not valid in it are
 * replaced by U+FFFD), with one trailing CRLF or LF removed, or NULL with
 * @error set when @uri is not a data URI or cannot be decoded.
 * @content_type, if not NULL, receives the lower-cased media type
 * ("text/plain" when omitted). */
char *ucwa_data_uri_decode (const char  *uri,
                            char       **content_type,
                            GError     **error);

/* Encodes @text (UTF-8) as `data:<content_type>;charset=utf-8;base64,...`. */
char *ucwa_data_uri_encode (const char *content_type,
                            const char *text);

G_END_DECLS
