/* test-fixtures.c: every UCWA reference sample through the core's parsers.
 *
 * Event samples go through the dispatcher with a row for every event kind
 * the protocol map lists; resource samples (and every resource embedded in
 * an event) go through the hypermedia helpers, and every href is resolved.
 * The samples' content need not form a scenario, so the assertions are
 * about shape: nothing lost, nothing malformed, every href usable.
 */
#include <string.h>

#include "ucwa-data-uri.h"
#include "ucwa-dispatch.h"
#include "ucwa-resource.h"

#define BASE "https://lyncweb.contoso.com/ucwa/oauth/v1/applications"

/* The fixture README promises 137 event and 240 resource samples; fewer
 * than these means the directory is not what it should be. */
#define MIN_EVENT_FILES     130
#define MIN_RESOURCE_FILES  230
#define MIN_EVENTS          140
#define MIN_HANDLED         110
#define MIN_HREFS           1000

typedef struct {
  guint files;
  guint hrefs;
  guint data_uris;
  guint resources;
} Walk;

/* Event kinds from the protocol map, section 3: sender, link rels, types,
 * `in` rels ("-" for none). */
static const struct {
  const char *sender;
  const char *links;
  const char *types;
  const char *ins;
} kinds[] = {
  { "communication", "messagingInvitation|onlineMeetingInvitation|participantInvitation",
    "started|updated|completed", "-" },
  { "communication", "conversation", "added|updated|deleted", "-" },
  { "communication", "communication", "updated", "-" },
  { "conversation", "localParticipant", "added|updated|deleted", "-" },
  { "conversation", "participant", "added|updated|deleted",
    "leaders|attendees|lobby|typingParticipants" },
  { "conversation", "participant", "added|updated|deleted", "-" },
  /* "participantMessaging (and Audio/Video...)": every modality. */
  { "conversation", "participantMessaging|participantAudio|participantVideo|"
    "participantPanoramicVideo|participantApplicationSharing|participantDataCollaboration",
    "added|updated|deleted", "participant|localParticipant" },
  { "conversation", "messaging", "updated", "-" },
  { "conversation", "message", "started|completed", "-" },
  { "conversation", "onlineMeeting", "added|updated", "conversation" },
  { "me", "me", "updated", "-" },
  { "me", "presence|note|location", "added|updated|deleted", "-" },
  { "people", "contactPresence|contactNote|contactLocation", "updated", "contact" },
  { "people", "presenceSubscription", "added|updated|deleted", "-" },
  { "people", "contact", "added|deleted",
    "subscribedContacts|myContacts|group|pinnedGroup|defaultGroup" },
  /* Groups "in=myGroups"; the samples also update them without `in`. */
  { "people", "group|pinnedGroup|defaultGroup|distributionGroup|delegatesGroup|"
    "delegatorsGroup|myOrganizationGroup", "added|updated|deleted", "myGroups|-" },
  /* Section 8: "updated myContactsAndGroupsSubscription = refresh soon". */
  { "people", "myContactsAndGroupsSubscription", "updated", "-" },
};

static void walk_resource (JsonObject *resource, Walk *walk, guint depth);

static void
check_href (const char *href,
            Walk       *walk)
{
  g_autofree char *resolved = NULL;

  walk->hrefs++;

  if (g_ascii_strncasecmp (href, "data:", 5) == 0)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = ucwa_data_uri_decode (href, NULL, &error);

      /* Placeholders such as `base64,base64-encoded-sdp` are not base64:
       * decoding may fail, but cleanly. */
      walk->data_uris++;
      g_assert_true ((text != NULL) != (error != NULL));
      if (text != NULL)
        g_assert_true (g_utf8_validate (text, -1, NULL));
      g_assert_null (ucwa_resource_resolve (BASE, href));
      return;
    }

  resolved = ucwa_resource_resolve (BASE, href);
  if (resolved == NULL)
    g_error ("href %s did not resolve", href);
  g_assert_true (g_str_has_prefix (resolved, "https://") ||
                 g_str_has_prefix (resolved, "http://"));
  g_assert_true (g_uri_is_valid (resolved, G_URI_FLAGS_ENCODED, NULL));

  /* A path-absolute href keeps every byte, query included. */
  if (href[0] == '/' && href[1] != '/' && strchr (href, ' ') == NULL)
    {
      g_autofree char *expected = g_strconcat ("https://lyncweb.contoso.com", href, NULL);
      g_assert_cmpstr (resolved, ==, expected);
    }
}

/* Counts href-bearing link objects straight from the JSON, without the
 * helpers, to check they miss none. */
static guint
count_raw_links (JsonObject *resource)
{
  JsonNode *links_node = json_object_get_member (resource, "_links");
  g_autoptr(GList) rels = NULL;
  guint count = 0;

  if (links_node == NULL || !JSON_NODE_HOLDS_OBJECT (links_node))
    return 0;

  rels = json_object_get_members (json_node_get_object (links_node));
  for (GList *l = rels; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (json_node_get_object (links_node), l->data);
      g_autoptr(GList) elements = NULL;

      if (JSON_NODE_HOLDS_OBJECT (node))
        elements = g_list_prepend (NULL, node);
      else if (JSON_NODE_HOLDS_ARRAY (node))
        elements = json_array_get_elements (json_node_get_array (node));

      for (GList *e = elements; e != NULL; e = e->next)
        {
          JsonNode *href;

          if (!JSON_NODE_HOLDS_OBJECT (e->data))
            continue;
          href = json_object_get_member (json_node_get_object (e->data), "href");
          if (href != NULL && JSON_NODE_HOLDS_VALUE (href) &&
              json_node_get_value_type (href) == G_TYPE_STRING)
            count++;
        }
    }

  return count;
}

static void
walk_links (JsonObject *resource,
            Walk       *walk)
{
  JsonNode *links_node = json_object_get_member (resource, "_links");
  g_autoptr(GList) rels = NULL;
  guint before = walk->hrefs;

  if (links_node == NULL || !JSON_NODE_HOLDS_OBJECT (links_node))
    return;

  rels = json_object_get_members (json_node_get_object (links_node));
  for (GList *l = rels; l != NULL; l = l->next)
    {
      const char *rel = l->data;
      g_autoptr(GList) list = ucwa_resource_get_link_list (resource, rel);

      /* The single-link accessors read the first of the list. */
      g_assert_cmpstr (ucwa_resource_get_link (resource, rel), ==,
                       list != NULL ? ucwa_resource_get_string (list->data, "href") : NULL);
      g_assert_cmpstr (ucwa_resource_get_link_title (resource, rel), ==,
                       list != NULL ? ucwa_resource_get_string (list->data, "title") : NULL);

      for (GList *link = list; link != NULL; link = link->next)
        {
          const char *href = ucwa_resource_get_string (link->data, "href");

          if (href != NULL)
            check_href (href, walk);
        }
    }

  g_assert_cmpuint (walk->hrefs - before, ==, count_raw_links (resource));
}

static void
walk_embedded (JsonObject *resource,
               Walk       *walk,
               guint       depth)
{
  JsonNode *embedded_node = json_object_get_member (resource, "_embedded");
  g_autoptr(GList) rels = NULL;

  if (embedded_node == NULL || !JSON_NODE_HOLDS_OBJECT (embedded_node))
    return;

  rels = json_object_get_members (json_node_get_object (embedded_node));
  for (GList *l = rels; l != NULL; l = l->next)
    {
      const char *rel = l->data;
      g_autoptr(GList) list = ucwa_resource_get_embedded_list (resource, rel);

      g_assert_true (ucwa_resource_get_embedded (resource, rel) ==
                     (list != NULL ? list->data : NULL));
      for (GList *e = list; e != NULL; e = e->next)
        walk_resource (e->data, walk, depth + 1);
    }
}

static void
walk_resource (JsonObject *resource,
               Walk       *walk,
               guint       depth)
{
  /* The samples nest a few levels; anything deeper is a parser bug. */
  g_assert_cmpuint (depth, <, 32);

  walk->resources++;
  walk_links (resource, walk);
  walk_embedded (resource, walk, depth);
}

static GPtrArray *
list_json_files (const char *subdir)
{
  const char *root = g_getenv ("UCWA_FIXTURES_DIR");
  g_autofree char *dir_path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  /* A missing directory is a broken build, not a reason to skip. */
  if (root == NULL)
    g_error ("UCWA_FIXTURES_DIR is not set");
  dir_path = g_build_filename (root, subdir, NULL);
  dir = g_dir_open (dir_path, 0, &error);
  if (dir == NULL)
    g_error ("cannot open %s: %s", dir_path, error->message);

  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (files, g_build_filename (dir_path, name, NULL));

  g_ptr_array_sort (files, (GCompareFunc) g_strcmp0);
  return files;
}

static JsonNode *
load (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_file (parser, path, &error))
    g_error ("%s: %s", path, error->message);
  g_assert_nonnull (json_parser_get_root (parser));
  return json_node_copy (json_parser_get_root (parser));
}

/* Counts the events of an answer by walking the JSON directly. */
static guint
count_raw_events (JsonNode *answer)
{
  JsonObject *root = json_node_get_object (answer);
  JsonNode *senders = json_object_get_member (root, "sender");
  guint count = 0;

  if (senders == NULL || !JSON_NODE_HOLDS_ARRAY (senders))
    return 0;

  for (guint i = 0; i < json_array_get_length (json_node_get_array (senders)); i++)
    {
      JsonNode *sender = json_array_get_element (json_node_get_array (senders), i);
      JsonNode *events;

      if (!JSON_NODE_HOLDS_OBJECT (sender))
        continue;
      events = json_object_get_member (json_node_get_object (sender), "events");
      if (events != NULL && JSON_NODE_HOLDS_ARRAY (events))
        count += json_array_get_length (json_node_get_array (events));
    }

  return count;
}

static void
on_event (const UcwaEvent *event,
          gpointer         user_data)
{
  Walk *walk = user_data;
  JsonNode *embedded;

  g_assert_nonnull (event->type);
  g_assert_nonnull (event->link_rel);
  g_assert_nonnull (event->link_href);
  g_assert_nonnull (event->event);
  check_href (event->link_href, walk);
  if (event->in_href != NULL)
    check_href (event->in_href, walk);

  /* The resource is `_embedded[link.rel]`, when there is one. */
  embedded = json_object_get_member (event->event, "_embedded");
  if (embedded != NULL && json_object_has_member (json_node_get_object (embedded), event->link_rel))
    g_assert_true (event->resource ==
                   json_object_get_object_member (json_node_get_object (embedded), event->link_rel));
  else
    g_assert_null (event->resource);

  if (event->resource != NULL)
    walk_resource (event->resource, walk, 1);
}

static GArray *
build_table (void)
{
  GArray *table = g_array_new (TRUE, TRUE, sizeof (UcwaDispatchRow));

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_auto(GStrv) links = g_strsplit (kinds[k].links, "|", -1);
      g_auto(GStrv) types = g_strsplit (kinds[k].types, "|", -1);
      g_auto(GStrv) ins = g_strsplit (kinds[k].ins, "|", -1);

      for (guint l = 0; links[l] != NULL; l++)
        for (guint t = 0; types[t] != NULL; t++)
          for (guint i = 0; ins[i] != NULL; i++)
            {
              UcwaDispatchRow row = {
                kinds[k].sender,
                g_intern_string (links[l]),
                g_intern_string (types[t]),
                g_strcmp0 (ins[i], "-") == 0 ? NULL : g_intern_string (ins[i]),
                on_event,
              };

              g_array_append_val (table, row);
            }
    }

  return table;
}

static void
test_event_samples (void)
{
  g_autoptr(GPtrArray) files = list_json_files ("events");
  g_autoptr(GArray) table = build_table ();
  Walk walk = { 0 };
  guint events = 0, handled = 0, ignored = 0;

  for (guint f = 0; f < files->len; f++)
    {
      g_autoptr(JsonNode) answer = load (files->pdata[f]);
      g_autoptr(GError) error = NULL;
      UcwaDispatchStats stats = { 0 };
      guint expected;

      g_test_message ("%s", (char *) files->pdata[f]);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (answer));
      expected = count_raw_events (answer);

      g_assert_true (ucwa_dispatch_answer ((const UcwaDispatchRow *) table->data,
                                           answer, &walk, &stats, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (stats.handled + stats.ignored + stats.malformed, ==, expected);
      /* The reference's events are all well-formed. */
      g_assert_cmpuint (stats.malformed, ==, 0);

      /* The answer's own links (`self`, `next`) are hrefs too. */
      walk_resource (json_node_get_object (answer), &walk, 0);

      walk.files++;
      events += expected;
      handled += stats.handled;
      ignored += stats.ignored;
    }

  g_test_message ("%u files, %u events: %u handled, %u ignored; %u hrefs",
                  walk.files, events, handled, ignored, walk.hrefs);
  g_assert_cmpuint (walk.files, >=, MIN_EVENT_FILES);
  g_assert_cmpuint (events, >=, MIN_EVENTS);
  g_assert_cmpuint (handled, >=, MIN_HANDLED);
}

static void
test_resource_samples (void)
{
  g_autoptr(GPtrArray) files = list_json_files ("resources");
  Walk walk = { 0 };

  for (guint f = 0; f < files->len; f++)
    {
      g_autoptr(JsonNode) root = load (files->pdata[f]);

      g_test_message ("%s", (char *) files->pdata[f]);
      if (JSON_NODE_HOLDS_OBJECT (root))
        walk_resource (json_node_get_object (root), &walk, 0);
      walk.files++;
    }

  g_test_message ("%u files, %u resources, %u hrefs (%u data URIs)",
                  walk.files, walk.resources, walk.hrefs, walk.data_uris);
  g_assert_cmpuint (walk.files, >=, MIN_RESOURCE_FILES);
  g_assert_cmpuint (walk.hrefs, >=, MIN_HREFS);
  g_assert_cmpuint (walk.data_uris, >, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fixtures/event-samples", test_event_samples);
  g_test_add_func ("/fixtures/resource-samples", test_resource_samples);

  return g_test_run ();
}
