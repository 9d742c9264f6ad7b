/* mock-util.c: JSON, error-body and data-URI helpers of the mock server.
 *
 * Error bodies follow ErrorsAndInformationalMessages.md
 * ({"code","subcode","message"}); data URIs follow PayloadFormat.md and the
 * ReceiveAnIM.md trace (`data:text/plain;charset=utf-8,Hi+Tosh%0d%0a`).
 */
#include "mock.h"

#include <string.h>

char *
mock_random_token (gsize bytes)
{
  g_autofree guchar *raw = g_malloc (bytes);
  for (gsize i = 0; i < bytes; i++)
    raw[i] = (guchar) g_random_int_range (0, 256);
  char *b64 = g_base64_encode (raw, bytes);
  /* URL-safe so that tokens survive any header or query use. */
  for (char *p = b64; *p; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
    }
  return b64;
}

char *
mock_random_uuid (void)
{
  return g_uuid_string_random ();
}

JsonObject *
mock_link (const char *href, const char *title)
{
  JsonObject *link = json_object_new ();
  json_object_set_string_member (link, "href", href);
  if (title)
    json_object_set_string_member (link, "title", title);
  return link;
}

static JsonObject *
links_of (JsonObject *resource)
{
  if (!json_object_has_member (resource, "_links"))
    json_object_set_object_member (resource, "_links", json_object_new ());
  return json_object_get_object_member (resource, "_links");
}

void
mock_add_link (JsonObject *resource, const char *rel, const char *href)
{
  json_object_set_object_member (links_of (resource), rel, mock_link (href, NULL));
}

void
mock_add_link_titled (JsonObject *resource, const char *rel, const char *href,
                      const char *title)
{
  json_object_set_object_member (links_of (resource), rel, mock_link (href, title));
}

void
mock_embed (JsonObject *resource, const char *rel, JsonObject *child)
{
  if (!json_object_has_member (resource, "_embedded"))
    json_object_set_object_member (resource, "_embedded", json_object_new ());
  json_object_set_object_member (json_object_get_object_member (resource, "_embedded"),
                                 rel, child);
}

JsonObject *
mock_resource_new (const char *rel, const char *self_href)
{
  JsonObject *res = json_object_new ();
  json_object_set_string_member (res, "rel", rel);
  if (self_href)
    mock_add_link (res, "self", self_href);
  return res;
}

JsonObject *
mock_reason_new (const char *code, const char *subcode, const char *message)
{
  JsonObject *reason = json_object_new ();
  json_object_set_string_member (reason, "code", code);
  if (subcode)
    json_object_set_string_member (reason, "subcode", subcode);
  if (message)
    json_object_set_string_member (reason, "message", message);
  return reason;
}

char *
mock_json_to_string (JsonObject *obj)
{
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, obj);
  return json_to_string (node, FALSE);
}

void
mock_respond_json (SoupServerMessage *msg, guint status, JsonObject *body)
{
  g_autofree char *text = mock_json_to_string (body);
  json_object_unref (body);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    text, strlen (text));
}

void
mock_respond_error (SoupServerMessage *msg, guint status, const char *code,
                    const char *subcode, const char *message)
{
  mock_respond_json (msg, status, mock_reason_new (code, subcode, message));
}

void
mock_respond_empty (SoupServerMessage *msg, guint status)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, NULL, SOUP_MEMORY_STATIC, NULL, 0);
}

char *
mock_body_text (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr (GBytes) bytes = soup_message_body_flatten (body);
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);
  return g_strndup (data ? data : "", len);
}

JsonObject *
mock_parse_json_body (SoupServerMessage *msg)
{
  g_autofree char *text = mock_body_text (msg);
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (!*text || !json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  JsonNode *root = json_parser_get_root (parser);
  if (!root || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

/* The reference capitalises request keys both ways ("UserAgent" in the
 * samples, "userAgent" in the ref pages): look names up case-insensitively. */
const char *
mock_json_get_string_ci (JsonObject *obj, const char *name)
{
  if (!obj)
    return NULL;
  g_autoptr (GList) members = json_object_get_members (obj);
  for (GList *l = members; l; l = l->next)
    {
      if (g_ascii_strcasecmp (l->data, name) != 0)
        continue;
      JsonNode *node = json_object_get_member (obj, l->data);
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        return json_node_get_string (node);
      return NULL;
    }
  return NULL;
}

char *
mock_date_now (void)
{
  return g_strdup_printf ("/Date(%" G_GINT64_FORMAT ")/", g_get_real_time () / 1000);
}

static char *
percent_encode (const char *text)
{
  GString *out = g_string_new ("data:text/plain;charset=utf-8,");
  for (const guchar *p = (const guchar *) text; *p; p++)
    {
      if (g_ascii_isalnum (*p) || strchr ("-_.~", *p))
        g_string_append_c (out, (char) *p);
      else if (*p == ' ')
        g_string_append_c (out, '+');
      else
        g_string_append_printf (out, "%%%02x", *p);
    }
  g_string_append (out, "%0d%0a");
  return g_string_free (out, FALSE);
}

static char *
base64_encode (const char *text)
{
  g_autofree char *with_crlf = g_strconcat (text, "\r\n", NULL);
  g_autofree char *b64 = g_base64_encode ((const guchar *) with_crlf, strlen (with_crlf));
  return g_strconcat ("data:text/plain;charset=utf-8;base64,", b64, NULL);
}

/* Both encodings end in CRLF like the trace; clients strip it. */
char *
mock_data_uri_encode (MockServer *server, const char *text)
{
  switch (server->opts.encoding)
    {
    case MOCK_ENCODING_PERCENT:
      return percent_encode (text);
    case MOCK_ENCODING_BASE64:
      return base64_encode (text);
    case MOCK_ENCODING_ALTERNATE:
    default:
      return (server->encoding_counter++ % 2 == 0) ? percent_encode (text)
                                                   : base64_encode (text);
    }
}

/* Parses `data:<type>[;charset=..][;base64],<data>` (the shape Microsoft's
 * sample parser accepts).  Returns the raw text (assumed UTF-8) or NULL. */
char *
mock_data_uri_decode (const char *uri)
{
  if (!uri || g_ascii_strncasecmp (uri, "data:", 5) != 0)
    return NULL;
  const char *comma = strchr (uri, ',');
  if (!comma)
    return NULL;
  g_autofree char *params = g_strndup (uri + 5, comma - (uri + 5));
  gboolean is_base64 = g_str_has_suffix (params, ";base64");
  const char *data = comma + 1;

  if (is_base64)
    {
      gsize len = 0;
      g_autofree guchar *raw = g_base64_decode (data, &len);
      char *text = g_strndup ((const char *) raw, len);
      return text;
    }

  GString *out = g_string_new (NULL);
  for (const char *p = data; *p; p++)
    {
      if (*p == '+')
        g_string_append_c (out, ' ');
      else if (*p == '%' && g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]))
        {
          g_string_append_c (out, (char) (g_ascii_xdigit_value (p[1]) * 16
                                          + g_ascii_xdigit_value (p[2])));
          p += 2;
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* Removes one trailing CRLF (or LF), as a client does with message bodies. */
char *
mock_strip_crlf (const char *text)
{
  gsize len = strlen (text);
  if (len >= 2 && text[len - 2] == '\r' && text[len - 1] == '\n')
    len -= 2;
  else if (len >= 1 && text[len - 1] == '\n')
    len -= 1;
  return g_strndup (text, len);
}

/* "sip:bob@example.test" or "bob@example.test" -> "bob@example.test". */
char *
mock_address_from_sip (const char *uri)
{
  if (!uri)
    return NULL;
  if (g_ascii_strncasecmp (uri, "sip:", 4) == 0)
    uri += 4;
  /* Path segments may arrive percent-encoded (`%40`). */
  g_autofree char *plain = g_uri_unescape_string (uri, NULL);
  return g_ascii_strdown (plain ? plain : uri, -1);
}
