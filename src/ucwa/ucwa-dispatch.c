/* ucwa-dispatch.c: walks an event-channel answer through a table of rows.
 *
 * Everything here reads server input, so nothing in it may log above
 * G_LOG_LEVEL_MESSAGE: a bad answer is the server's problem, not a bug.
 * Optional members that are JSON null count as absent; present members of
 * the wrong type make the event unusable, because guessing (say, treating a
 * broken `in` as absent) would route a typing notice as a roster join.
 */
#include "ucwa-dispatch.h"

#include "ucwa-error.h"

/* The JSON member, or NULL when absent or null. */
static JsonNode *
member (JsonObject *object,
        const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node;
}

static gboolean
is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

/* Reads an optional string member; FALSE when present but not a string. */
static gboolean
optional_string (JsonObject  *object,
                 const char  *name,
                 const char **out)
{
  JsonNode *node = member (object, name);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!is_string (node))
    return FALSE;
  *out = json_node_get_string (node);
  return TRUE;
}

/* Reads an optional object member; FALSE when present but not an object. */
static gboolean
optional_object (JsonObject  *object,
                 const char  *name,
                 JsonObject **out)
{
  JsonNode *node = member (object, name);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  *out = json_node_get_object (node);
  return TRUE;
}

/* A `{rel, href, title?}` link; FALSE unless rel and href are strings. */
static gboolean
read_link (JsonObject  *link,
           const char **rel,
           const char **href,
           const char **title)
{
  if (!optional_string (link, "rel", rel) || *rel == NULL ||
      !optional_string (link, "href", href) || *href == NULL)
    return FALSE;

  return title == NULL || optional_string (link, "title", title);
}

/* Fills @event from @object; returns a reason when the event is unusable. */
static const char *
read_event (JsonObject *object,
            UcwaEvent  *event)
{
  JsonObject *link = NULL;
  JsonObject *in = NULL;
  JsonObject *embedded = NULL;
  JsonNode *resource;

  event->event = object;

  if (!optional_string (object, "type", &event->type) || event->type == NULL)
    return "no type";
  if (!optional_object (object, "link", &link) || link == NULL)
    return "no link";
  if (!read_link (link, &event->link_rel, &event->link_href, &event->link_title))
    return "link without rel or href";

  if (!optional_object (object, "in", &in))
    return "`in` is not an object";
  if (in != NULL && !read_link (in, &event->in_rel, &event->in_href, NULL))
    return "`in` without rel or href";

  if (!optional_string (object, "status", &event->status))
    return "`status` is not a string";
  if (!optional_object (object, "reason", &event->reason))
    return "`reason` is not an object";
  if (!optional_object (object, "_embedded", &embedded))
    return "`_embedded` is not an object";

  /* Keyed by link.rel, whatever the embedded body's own `rel` says
   * (`localParticipant` holds a `"rel":"participant"`). */
  resource = embedded != NULL ? member (embedded, event->link_rel) : NULL;
  if (resource != NULL && JSON_NODE_HOLDS_OBJECT (resource))
    event->resource = json_node_get_object (resource);
  else if (resource != NULL)
    return "embedded resource is not an object";

  return NULL;
}

static gboolean
key_matches (const char *key,
             const char *value)
{
  return key == NULL || g_strcmp0 (key, value) == 0;
}

static const UcwaDispatchRow *
find_row (const UcwaDispatchRow *table,
          const UcwaEvent       *event)
{
  for (const UcwaDispatchRow *row = table; row->handler != NULL; row++)
    if (key_matches (row->sender_rel, event->sender_rel) &&
        key_matches (row->link_rel, event->link_rel) &&
        key_matches (row->type, event->type) &&
        key_matches (row->in_rel, event->in_rel))
      return row;

  return NULL;
}

static void
dispatch_events (const UcwaDispatchRow *table,
                 const char            *sender_rel,
                 const char            *sender_href,
                 JsonArray             *events,
                 gpointer               user_data,
                 UcwaDispatchStats     *stats)
{
  guint n = json_array_get_length (events);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (events, i);
      UcwaEvent event = { 0 };
      const UcwaDispatchRow *row;
      const char *problem;

      event.sender_rel = sender_rel;
      event.sender_href = sender_href;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        problem = "not an object";
      else
        problem = read_event (json_node_get_object (node), &event);

      if (problem != NULL)
        {
          g_message ("event %u of sender %s skipped: %s", i,
                     sender_rel != NULL ? sender_rel : "(none)", problem);
          stats->malformed++;
          continue;
        }

      row = find_row (table, &event);
      if (row == NULL)
        {
          g_debug ("event ignored: sender %s, %s %s%s%s",
                   sender_rel != NULL ? sender_rel : "(none)",
                   event.type, event.link_rel,
                   event.in_rel != NULL ? " in=" : "",
                   event.in_rel != NULL ? event.in_rel : "");
          stats->ignored++;
          continue;
        }

      stats->handled++;
      row->handler (&event, user_data);
    }
}

gboolean
ucwa_dispatch_answer (const UcwaDispatchRow *table,
                      JsonNode              *answer,
                      gpointer               user_data,
                      UcwaDispatchStats     *stats,
                      GError               **error)
{
  UcwaDispatchStats local = { 0 };
  JsonObject *root;
  JsonNode *senders_node;
  JsonArray *senders;
  guint n;

  g_return_val_if_fail (table != NULL, FALSE);

  if (stats == NULL)
    stats = &local;
  *stats = (UcwaDispatchStats) { 0 };

  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    {
      g_set_error_literal (error, UCWA_ERROR, UCWA_ERROR_PROTOCOL,
                           "the event channel answered something that is not a JSON object");
      return FALSE;
    }

  root = json_node_get_object (answer);
  senders_node = member (root, "sender");
  if (senders_node == NULL)
    return TRUE;  /* an empty timeout release */

  if (!JSON_NODE_HOLDS_ARRAY (senders_node))
    {
      g_message ("event answer skipped: `sender` is not an array");
      stats->malformed++;
      return TRUE;
    }

  senders = json_node_get_array (senders_node);
  n = json_array_get_length (senders);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (senders, i);
      JsonObject *sender;
      JsonNode *events;
      const char *rel = NULL;
      const char *href = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_message ("sender %u skipped: not an object", i);
          stats->malformed++;
          continue;
        }

      sender = json_node_get_object (node);
      events = member (sender, "events");
      if (events == NULL || !JSON_NODE_HOLDS_ARRAY (events) ||
          !optional_string (sender, "rel", &rel) ||
          !optional_string (sender, "href", &href))
        {
          g_message ("sender %u skipped: no events array, or rel/href not strings", i);
          stats->malformed++;
          continue;
        }

      dispatch_events (table, rel, href, json_node_get_array (events),
                       user_data, stats);
    }

  return TRUE;
}
