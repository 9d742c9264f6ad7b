/* ucwa-data-uri.c: decoding and encoding RFC 2397 data URIs.
 *
 * The header is parsed leniently (parameters in any order, media type
 * optional) because servers differ from Microsoft's own parser regex,
 * `^data:([^,;]+)(?:;charset=([^,;]+))?(;base64)?,(.*)$`.  A malformed
 * percent escape (`%zz`, a `%` at the end) is kept literally instead of
 * failing: the body is a message a person typed, and showing a stray `%`
 * beats dropping the whole message.  Bad base64 has no such reading and
 * fails.
 */
#include "ucwa-data-uri.h"

#include <errno.h>
#include <string.h>

#include "ucwa-error.h"

#define REPLACEMENT_CHARACTER "\357\277\275" /* U+FFFD in UTF-8 */

typedef struct {
  char     *media_type;  /* lower-cased, never NULL once parsed */
  char     *charset;     /* as written, NULL when absent */
  gboolean  base64;
} Header;

static void
header_clear (Header *header)
{
  g_clear_pointer (&header->media_type, g_free);
  g_clear_pointer (&header->charset, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Header, header_clear)

static void
parse_header (const char *start,
              gsize       len,
              Header     *header)
{
  g_autofree char *text = g_strndup (start, len);
  g_auto(GStrv) parts = g_strsplit (text, ";", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *part = g_strstrip (parts[i]);
      char *equals = strchr (part, '=');

      if (*part == '\0')
        continue;

      if (equals == NULL && g_ascii_strcasecmp (part, "base64") == 0)
        header->base64 = TRUE;
      else if (equals != NULL)
        {
          char *value;

          *equals = '\0';
          value = g_strstrip (equals + 1);
          if (g_ascii_strcasecmp (g_strstrip (part), "charset") != 0)
            continue;  /* other parameters do not change the text */

          if (*value == '"')
            {
              value++;
              if (*value != '\0' && value[strlen (value) - 1] == '"')
                value[strlen (value) - 1] = '\0';
            }
          if (*value != '\0')
            {
              g_free (header->charset);
              header->charset = g_strdup (value);
            }
        }
      else if (i == 0)
        header->media_type = g_ascii_strdown (part, -1);
    }

  if (header->media_type == NULL)
    header->media_type = g_strdup ("text/plain");
}

/* Percent-decodes @len bytes of @data.  With @plus_is_space, `+` is a space
 * (form encoding, as UCWA's percent bodies use); base64 bodies need `+`
 * kept. */
static GByteArray *
percent_decode (const char *data,
                gsize       len,
                gboolean    plus_is_space)
{
  GByteArray *bytes = g_byte_array_sized_new (len);

  for (gsize i = 0; i < len; i++)
    {
      guint8 byte = (guint8) data[i];

      if (byte == '%' && i + 2 < len &&
          g_ascii_isxdigit (data[i + 1]) && g_ascii_isxdigit (data[i + 2]))
        {
          byte = (guint8) (g_ascii_xdigit_value (data[i + 1]) << 4 |
                           g_ascii_xdigit_value (data[i + 2]));
          i += 2;
        }
      else if (byte == '+' && plus_is_space)
        byte = ' ';

      g_byte_array_append (bytes, &byte, 1);
    }

  return bytes;
}

static gboolean
is_base64_char (guint8 c)
{
  return g_ascii_isalnum (c) || c == '+' || c == '/';
}

/* g_base64_decode() skips characters it does not know, so validate first:
 * only the alphabet, at most two `=` at the very end, whitespace ignored,
 * missing padding tolerated. */
static GByteArray *
base64_decode (const guint8 *data,
               gsize         len,
               GError      **error)
{
  g_autoptr(GString) clean = g_string_sized_new (len + 3);
  guint padding = 0;
  guchar *decoded;
  gsize decoded_len = 0;

  for (gsize i = 0; i < len; i++)
    {
      guint8 c = data[i];

      if (g_ascii_isspace (c))
        continue;
      if (c == '=')
        {
          padding++;
          continue;
        }
      if (!is_base64_char (c) || padding > 0)
        {
          g_set_error (error, UCWA_ERROR, UCWA_ERROR_PROTOCOL,
                       "data URI: invalid base64 character at offset %" G_GSIZE_FORMAT,
                       i);
          return NULL;
        }
      g_string_append_c (clean, (char) c);
    }

  if (padding > 2 || clean->len % 4 == 1 ||
      (padding > 0 && (clean->len + padding) % 4 != 0))
    {
      g_set_error_literal (error, UCWA_ERROR, UCWA_ERROR_PROTOCOL,
                           "data URI: truncated or badly padded base64");
      return NULL;
    }

  while (clean->len % 4 != 0)
    g_string_append_c (clean, '=');

  if (clean->len == 0)
    return g_byte_array_new ();

  decoded = g_base64_decode (clean->str, &decoded_len);
  return g_byte_array_new_take (decoded, decoded_len);
}

static gboolean
charset_is_utf8 (const char *charset)
{
  return charset == NULL ||
         g_ascii_strcasecmp (charset, "utf-8") == 0 ||
         g_ascii_strcasecmp (charset, "utf8") == 0;
}

/* Converts @bytes from @charset to UTF-8 through iconv, one U+FFFD for
 * every byte the charset does not define.  Returns NULL when iconv does not
 * know the charset. */
static GString *
convert_to_utf8 (const GByteArray *bytes,
                 const char       *charset)
{
  GIConv cd = g_iconv_open ("UTF-8", charset);
  GString *out;
  char *in;
  gsize in_left;
  char buffer[256];

  if (cd == (GIConv) -1)
    return NULL;

  out = g_string_sized_new (bytes->len);
  in = (char *) bytes->data;
  in_left = bytes->len;

  while (in_left > 0)
    {
      char *outp = buffer;
      gsize out_left = sizeof buffer;
      gsize rc = g_iconv (cd, &in, &in_left, &outp, &out_left);
      int saved_errno = errno;

      g_string_append_len (out, buffer, (gssize) (outp - buffer));
      if (rc != (gsize) -1)
        continue;
      if (saved_errno == E2BIG)
        continue;

      /* EILSEQ, or EINVAL for a truncated sequence at the end. */
      g_string_append (out, REPLACEMENT_CHARACTER);
      in++;
      in_left--;
    }

  g_iconv_close (cd);
  return out;
}

/* Valid UTF-8 with no NUL.  Given a length, g_utf8_make_valid() replaces
 * a NUL like any invalid byte, so a NUL cannot silently cut the message
 * short in a C string consumer (test-data-uri checks this). */
static char *
make_valid_text (const char *data,
                 gsize       len)
{
  if (len == 0)
    return g_strdup ("");  /* an empty GByteArray has no data pointer */
  return g_utf8_make_valid (data, (gssize) len);
}

char *
ucwa_data_uri_decode (const char  *uri,
                      char       **content_type,
                      GError     **error)
{
  g_auto(Header) header = { NULL, NULL, FALSE };
  g_autoptr(GByteArray) bytes = NULL;
  g_autoptr(GString) converted = NULL;
  const char *comma;
  const char *data;
  char *text;
  gsize len;

  if (content_type != NULL)
    *content_type = NULL;

  if (uri == NULL || g_ascii_strncasecmp (uri, "data:", 5) != 0)
    {
      g_set_error_literal (error, UCWA_ERROR, UCWA_ERROR_PROTOCOL,
                           "not a data URI");
      return NULL;
    }

  comma = strchr (uri + 5, ',');
  if (comma == NULL)
    {
      g_set_error_literal (error, UCWA_ERROR, UCWA_ERROR_PROTOCOL,
                           "data URI without a comma");
      return NULL;
    }

  parse_header (uri + 5, (gsize) (comma - (uri + 5)), &header);

  data = comma + 1;
  if (header.base64)
    {
      g_autoptr(GByteArray) raw = percent_decode (data, strlen (data), FALSE);

      bytes = base64_decode (raw->data, raw->len, error);
      if (bytes == NULL)
        return NULL;
    }
  else
    bytes = percent_decode (data, strlen (data), TRUE);

  if (!charset_is_utf8 (header.charset))
    {
      converted = convert_to_utf8 (bytes, header.charset);
      if (converted == NULL)
        g_debug ("data URI: unknown charset %s, reading it as UTF-8",
                 header.charset);
    }

  if (converted != NULL)
    text = make_valid_text (converted->str, converted->len);
  else
    text = make_valid_text ((const char *) bytes->data, bytes->len);

  /* One line ending, as the reference's `Hi+Tosh%0d%0a` ends. */
  len = strlen (text);
  if (len >= 2 && text[len - 2] == '\r' && text[len - 1] == '\n')
    text[len - 2] = '\0';
  else if (len >= 1 && text[len - 1] == '\n')
    text[len - 1] = '\0';

  if (content_type != NULL)
    *content_type = g_steal_pointer (&header.media_type);

  return text;
}

char *
ucwa_data_uri_encode (const char *content_type,
                      const char *text)
{
  g_autofree char *encoded = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  if (content_type == NULL || *content_type == '\0')
    content_type = "text/plain";

  encoded = g_base64_encode ((const guchar *) text, strlen (text));
  return g_strconcat ("data:", content_type, ";charset=utf-8;base64,",
                      encoded, NULL);
}
