/* ucwa-resource.c: hypermedia helpers over json-glib objects. */
#include "ucwa-resource.h"

#include <string.h>

const char *
ucwa_resource_get_string (JsonObject *resource,
                          const char *member)
{
  JsonNode *node;

  if (resource == NULL || member == NULL)
    return NULL;

  node = json_object_get_member (resource, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* An object member that may be an object or an array of objects: the first
 * object, or NULL. */
static JsonObject *
first_object (JsonObject *parent,
              const char *member)
{
  JsonNode *node;

  if (parent == NULL || member == NULL)
    return NULL;

  node = json_object_get_member (parent, member);
  if (node == NULL)
    return NULL;

  if (JSON_NODE_HOLDS_OBJECT (node))
    return json_node_get_object (node);

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);

      for (guint i = 0; i < n; i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_OBJECT (element))
            return json_node_get_object (element);
        }
    }

  return NULL;
}

/* Every object under @member, object or array alike. */
static GList *
all_objects (JsonObject *parent,
             const char *member)
{
  GList *list = NULL;
  JsonNode *node;

  if (parent == NULL || member == NULL)
    return NULL;

  node = json_object_get_member (parent, member);
  if (node == NULL)
    return NULL;

  if (JSON_NODE_HOLDS_OBJECT (node))
    return g_list_prepend (NULL, json_node_get_object (node));

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);

      for (guint i = 0; i < n; i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_OBJECT (element))
            list = g_list_prepend (list, json_node_get_object (element));
        }
    }

  return g_list_reverse (list);
}

static JsonObject *
object_member (JsonObject *parent,
               const char *member)
{
  JsonNode *node;

  if (parent == NULL)
    return NULL;

  node = json_object_get_member (parent, member);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_node_get_object (node);
}

static JsonObject *
link_object (JsonObject *resource,
             const char *rel)
{
  return first_object (object_member (resource, "_links"), rel);
}

const char *
ucwa_resource_get_link (JsonObject *resource,
                        const char *rel)
{
  return ucwa_resource_get_string (link_object (resource, rel), "href");
}

const char *
ucwa_resource_get_link_title (JsonObject *resource,
                              const char *rel)
{
  return ucwa_resource_get_string (link_object (resource, rel), "title");
}

GList *
ucwa_resource_get_link_list (JsonObject *resource,
                             const char *rel)
{
  return all_objects (object_member (resource, "_links"), rel);
}

JsonObject *
ucwa_resource_get_embedded (JsonObject *resource,
                            const char *rel)
{
  return first_object (object_member (resource, "_embedded"), rel);
}

GList *
ucwa_resource_get_embedded_list (JsonObject *resource,
                                 const char *rel)
{
  return all_objects (object_member (resource, "_embedded"), rel);
}

static gboolean
is_http_scheme (const char *scheme)
{
  return scheme != NULL &&
         (g_ascii_strcasecmp (scheme, "http") == 0 ||
          g_ascii_strcasecmp (scheme, "https") == 0);
}

char *
ucwa_resource_resolve (const char *base,
                       const char *href)
{
  /* ENCODED keeps the server's escapes and query (`groupId=...BsY=`,
   * `%2B`) byte for byte; RELAXED passes a malformed escape through instead
   * of refusing the href, and drops surrounding whitespace. */
  const GUriFlags flags = G_URI_FLAGS_ENCODED | G_URI_FLAGS_PARSE_RELAXED;
  g_autoptr(GUri) base_uri = NULL;
  g_autoptr(GUri) resolved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *scheme = NULL;

  if (base == NULL || href == NULL || *href == '\0')
    return NULL;

  /* Only hrefs are resolved: a data: URI (or any other non-HTTP scheme) is
   * content, not a location. */
  scheme = g_uri_parse_scheme (href);
  if (scheme != NULL && !is_http_scheme (scheme))
    return NULL;

  base_uri = g_uri_parse (base, flags, &error);
  if (base_uri == NULL || !is_http_scheme (g_uri_get_scheme (base_uri)))
    {
      g_debug ("cannot resolve against base %s: %s", base,
               error != NULL ? error->message : "not an http(s) URL");
      return NULL;
    }

  resolved = g_uri_parse_relative (base_uri, href, flags, &error);
  if (resolved == NULL)
    {
      g_debug ("cannot resolve href %s: %s", href, error->message);
      return NULL;
    }

  if (!is_http_scheme (g_uri_get_scheme (resolved)) ||
      g_uri_get_host (resolved) == NULL || *g_uri_get_host (resolved) == '\0')
    return NULL;

  return g_uri_to_string (resolved);
}

gboolean
ucwa_href_equal (const char *a,
                 const char *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return g_ascii_strcasecmp (a, b) == 0;
}

guint
ucwa_href_hash (gconstpointer href)
{
  const char *p = href;
  guint32 hash = 5381;

  if (p == NULL)
    return 0;

  /* g_str_hash's djb2, over the lower-cased bytes, so that it agrees with
   * ucwa_href_equal. */
  for (; *p != '\0'; p++)
    hash = (hash << 5) + hash + (guchar) g_ascii_tolower (*p);

  return hash;
}

char *
ucwa_uri_to_address (const char *sip_uri)
{
  if (sip_uri == NULL)
    return NULL;

  if (g_ascii_strncasecmp (sip_uri, "sip:", 4) == 0)
    sip_uri += 4;

  return g_ascii_strdown (sip_uri, -1);
}

char *
ucwa_address_to_uri (const char *address)
{
  g_autofree char *lower = NULL;

  if (address == NULL)
    return NULL;

  if (g_ascii_strncasecmp (address, "sip:", 4) == 0)
    address += 4;

  lower = g_ascii_strdown (address, -1);
  return g_strconcat ("sip:", lower, NULL);
}

gint64
ucwa_parse_date (const char *value)
{
  const char *p;
  char *end = NULL;
  gint64 ms;

  if (value == NULL)
    return 0;

  /* After JSON parsing the value reads `/Date(1364327898968)/`; accept the
   * raw `\/Date(...)\/` form and a bare `Date(...)` too.  A trailing zone
   * offset (`+0100`) does not change the instant, which is UTC. */
  p = strstr (value, "Date(");
  if (p == NULL)
    return 0;
  p += strlen ("Date(");

  if (!g_ascii_isdigit (*p) && !(*p == '-' && g_ascii_isdigit (p[1])))
    return 0;

  ms = g_ascii_strtoll (p, &end, 10);
  if (end == p)
    return 0;

  if (*end == '+' || *end == '-')
    {
      end++;
      while (g_ascii_isdigit (*end))
        end++;
    }

  if (*end != ')')
    return 0;

  return ms / 1000;
}
