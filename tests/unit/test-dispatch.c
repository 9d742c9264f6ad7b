/* test-dispatch.c: event-channel answers through a dispatch table. */
#include <string.h>

#include "ucwa-dispatch.h"
#include "ucwa-error.h"
#include "ucwa-resource.h"

#define APP "/ucwa/oauth/v1/applications/105"
#define CONV APP "/communication/conversations/21a1"

/* Each handler logs "<handler> <type> <link rel> <link href>" so a test can
 * tell which row took which event, in what order. */
static void
log_event (const char      *handler,
           const UcwaEvent *event,
           gpointer         user_data)
{
  GPtrArray *log = user_data;

  g_ptr_array_add (log, g_strdup_printf ("%s %s %s %s", handler, event->type,
                                         event->link_rel, event->link_href));
}

static void
on_typing (const UcwaEvent *event, gpointer user_data)
{
  log_event ("typing", event, user_data);
}

static void
on_roster (const UcwaEvent *event, gpointer user_data)
{
  log_event ("roster", event, user_data);
}

static void
on_conversation_any (const UcwaEvent *event, gpointer user_data)
{
  log_event ("conversation-any", event, user_data);
}

static void
on_anything (const UcwaEvent *event, gpointer user_data)
{
  log_event ("anything", event, user_data);
}

static const UcwaDispatchRow conversation_table[] = {
  { "conversation", "participant", "added", "typingParticipants", on_typing },
  { "conversation", "participant", "added", NULL, on_roster },
  { "conversation", NULL, NULL, NULL, on_conversation_any },
  { NULL, NULL, NULL, NULL, NULL },
};

static const UcwaDispatchRow catch_all_table[] = {
  { NULL, NULL, NULL, NULL, on_anything },
  { NULL, NULL, NULL, NULL, NULL },
};

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static GPtrArray *
dispatch (const UcwaDispatchRow *table,
          const char            *json,
          UcwaDispatchStats     *stats)
{
  g_autoptr(JsonNode) answer = parse (json);
  g_autoptr(GError) error = NULL;
  GPtrArray *log = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (ucwa_dispatch_answer (table, answer, log, stats, &error));
  g_assert_no_error (error);
  return log;
}

static void
test_table_matching (void)
{
  UcwaDispatchStats stats;
  g_autoptr(GPtrArray) log = dispatch (conversation_table,
    "{\"sender\":[{\"rel\":\"conversation\",\"href\":\"" CONV "\",\"events\":["
    "{\"type\":\"added\",\"link\":{\"rel\":\"participant\",\"href\":\"" CONV "/participants/a\"}},"
    "{\"type\":\"added\",\"link\":{\"rel\":\"participant\",\"href\":\"" CONV "/participants/b\"},"
    " \"in\":{\"rel\":\"typingParticipants\",\"href\":\"" CONV "/participants/typingParticipants\"}},"
    "{\"type\":\"deleted\",\"link\":{\"rel\":\"participant\",\"href\":\"" CONV "/participants/c\"},"
    " \"in\":{\"rel\":\"typingParticipants\",\"href\":\"" CONV "/participants/typingParticipants\"}},"
    "{\"type\":\"added\",\"link\":{\"rel\":\"participant\",\"href\":\"" CONV "/participants/d\"},"
    " \"in\":{\"rel\":\"leaders\",\"href\":\"" CONV "/leaders\"}},"
    "{\"type\":\"updated\",\"link\":{\"rel\":\"messaging\",\"href\":\"" CONV "/messaging\"}}]},"
    "{\"rel\":\"me\",\"href\":\"" APP "/me\",\"events\":["
    "{\"type\":\"updated\",\"link\":{\"rel\":\"me\",\"href\":\"" APP "/me\"}}]}]}",
    &stats);

  g_assert_cmpuint (log->len, ==, 5);
  g_assert_cmpstr (log->pdata[0], ==, "roster added participant " CONV "/participants/a");
  g_assert_cmpstr (log->pdata[1], ==, "typing added participant " CONV "/participants/b");
  /* No specific row for a typing stop here: the general row takes it. */
  g_assert_cmpstr (log->pdata[2], ==, "conversation-any deleted participant " CONV "/participants/c");
  /* The roster row's NULL `in` is a wildcard: a role change matches it too,
   * which is why the more specific rows go first. */
  g_assert_cmpstr (log->pdata[3], ==, "roster added participant " CONV "/participants/d");
  g_assert_cmpstr (log->pdata[4], ==, "conversation-any updated messaging " CONV "/messaging");
  g_assert_cmpuint (stats.handled, ==, 5);
  g_assert_cmpuint (stats.ignored, ==, 1);
  g_assert_cmpuint (stats.malformed, ==, 0);
}

static void
test_first_row_wins (void)
{
  static const UcwaDispatchRow wildcard_first[] = {
    { "conversation", NULL, NULL, NULL, on_conversation_any },
    { "conversation", "participant", "added", "typingParticipants", on_typing },
    { NULL, NULL, NULL, NULL, NULL },
  };
  UcwaDispatchStats stats;
  g_autoptr(GPtrArray) log = dispatch (wildcard_first,
    "{\"sender\":[{\"rel\":\"conversation\",\"href\":\"" CONV "\",\"events\":["
    "{\"type\":\"added\",\"link\":{\"rel\":\"participant\",\"href\":\"p\"},"
    " \"in\":{\"rel\":\"typingParticipants\",\"href\":\"t\"}}]}]}",
    &stats);

  g_assert_cmpuint (log->len, ==, 1);
  g_assert_cmpstr (log->pdata[0], ==, "conversation-any added participant p");
}

static void
test_order_across_senders (void)
{
  UcwaDispatchStats stats;
  g_autoptr(GPtrArray) log = dispatch (catch_all_table,
    "{\"_links\":{\"self\":{\"href\":\"" APP "/events?ack=3\"},\"next\":{\"href\":\"" APP "/events?ack=4\"}},"
    "\"sender\":["
    "{\"rel\":\"communication\",\"href\":\"" APP "/communication\",\"events\":["
    " {\"type\":\"started\",\"link\":{\"rel\":\"messagingInvitation\",\"href\":\"1\"}},"
    " {\"type\":\"added\",\"link\":{\"rel\":\"conversation\",\"href\":\"2\"}}]},"
    "{\"rel\":\"conversation\",\"href\":\"" CONV "\",\"events\":["
    " {\"type\":\"added\",\"link\":{\"rel\":\"localParticipant\",\"href\":\"3\"}}]},"
    "{\"rel\":\"communication\",\"href\":\"" APP "/communication\",\"events\":["
    " {\"type\":\"completed\",\"link\":{\"rel\":\"messagingInvitation\",\"href\":\"4\"},\"status\":\"Success\"}]},"
    "{\"rel\":\"conversation\",\"href\":\"" CONV "\",\"events\":[]}]}",
    &stats);

  g_assert_cmpuint (log->len, ==, 4);
  g_assert_cmpstr (log->pdata[0], ==, "anything started messagingInvitation 1");
  g_assert_cmpstr (log->pdata[1], ==, "anything added conversation 2");
  g_assert_cmpstr (log->pdata[2], ==, "anything added localParticipant 3");
  g_assert_cmpstr (log->pdata[3], ==, "anything completed messagingInvitation 4");
  g_assert_cmpuint (stats.handled, ==, 4);
  g_assert_cmpuint (stats.ignored, ==, 0);
  g_assert_cmpuint (stats.malformed, ==, 0);
}

/* Copies out what a test wants to look at after the answer is gone. */
typedef struct {
  guint  calls;
  char  *sender_rel, *sender_href, *link_title, *in_rel, *in_href, *status;
  char  *resource_name, *resource_rel, *reason_subcode;
  gboolean had_resource;
  gboolean event_is_whole;
} Captured;

static void
capture (const UcwaEvent *event,
         gpointer         user_data)
{
  Captured *c = user_data;

  c->calls++;
  c->sender_rel = g_strdup (event->sender_rel);
  c->sender_href = g_strdup (event->sender_href);
  c->link_title = g_strdup (event->link_title);
  c->in_rel = g_strdup (event->in_rel);
  c->in_href = g_strdup (event->in_href);
  c->status = g_strdup (event->status);
  c->had_resource = event->resource != NULL;
  c->resource_name = g_strdup (ucwa_resource_get_string (event->resource, "name"));
  c->resource_rel = g_strdup (ucwa_resource_get_string (event->resource, "rel"));
  c->reason_subcode = g_strdup (ucwa_resource_get_string (event->reason, "subcode"));
  c->event_is_whole = event->event != NULL &&
                      json_object_has_member (event->event, "link") &&
                      g_strcmp0 (ucwa_resource_get_string (event->event, "type"), event->type) == 0;
}

static void
captured_clear (Captured *c)
{
  g_free (c->sender_rel);
  g_free (c->sender_href);
  g_free (c->link_title);
  g_free (c->in_rel);
  g_free (c->in_href);
  g_free (c->status);
  g_free (c->resource_name);
  g_free (c->resource_rel);
  g_free (c->reason_subcode);
  memset (c, 0, sizeof *c);
}

static const UcwaDispatchRow capture_table[] = {
  { NULL, NULL, NULL, NULL, capture },
  { NULL, NULL, NULL, NULL, NULL },
};

static void
dispatch_one (const char *json,
              Captured   *captured)
{
  g_autoptr(JsonNode) answer = parse (json);
  g_autoptr(GError) error = NULL;
  UcwaDispatchStats stats;

  g_assert_true (ucwa_dispatch_answer (capture_table, answer, captured, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.handled, ==, 1);
  g_assert_cmpuint (captured->calls, ==, 1);
}

static void
test_embedded_by_link_rel (void)
{
  Captured c = { 0 };

  dispatch_one (
    "{\"sender\":[{\"rel\":\"conversation\",\"href\":\"" CONV "\",\"events\":["
    "{\"type\":\"added\",\"link\":{\"rel\":\"localParticipant\",\"href\":\"" CONV "/participants/lenea@contoso.com\",\"title\":\"Lene Aaling\"},"
    " \"_embedded\":{\"participant\":{\"rel\":\"participant\",\"name\":\"Not me\"},"
    "               \"localParticipant\":{\"rel\":\"participant\",\"name\":\"Lene Aaling\"}}}]}]}",
    &c);

  g_assert_true (c.had_resource);
  g_assert_cmpstr (c.resource_name, ==, "Lene Aaling");
  g_assert_cmpstr (c.resource_rel, ==, "participant");
  g_assert_cmpstr (c.sender_rel, ==, "conversation");
  g_assert_cmpstr (c.sender_href, ==, CONV);
  g_assert_cmpstr (c.link_title, ==, "Lene Aaling");
  g_assert_null (c.in_rel);
  g_assert_null (c.status);
  g_assert_true (c.event_is_whole);
  captured_clear (&c);
}

static void
test_fields_filled (void)
{
  Captured c = { 0 };

  dispatch_one (
    "{\"sender\":[{\"rel\":\"communication\",\"href\":\"" APP "/communication\",\"events\":["
    "{\"type\":\"completed\",\"status\":\"Failure\","
    " \"reason\":{\"code\":\"Forbidden\",\"subcode\":\"Declined\",\"message\":\"No.\"},"
    " \"link\":{\"rel\":\"participantMessaging\",\"href\":\"" CONV "/participants/x/participantMessaging\"},"
    " \"in\":{\"rel\":\"participant\",\"href\":\"" CONV "/participants/x\"}}]}]}",
    &c);

  /* Link-only: no resource. */
  g_assert_false (c.had_resource);
  g_assert_null (c.link_title);
  g_assert_cmpstr (c.in_rel, ==, "participant");
  g_assert_cmpstr (c.in_href, ==, CONV "/participants/x");
  g_assert_cmpstr (c.status, ==, "Failure");
  g_assert_cmpstr (c.reason_subcode, ==, "Declined");
  captured_clear (&c);
}

static void
test_link_only_and_null_members (void)
{
  Captured c = { 0 };

  /* JSON null in optional members counts as absent; an _embedded without
   * the link's rel leaves the resource NULL. */
  dispatch_one (
    "{\"sender\":[{\"rel\":\"people\",\"href\":\"" APP "/people\",\"events\":["
    "{\"type\":\"updated\",\"link\":{\"rel\":\"contactPresence\",\"href\":\"" APP "/people/x/presence\",\"title\":null},"
    " \"in\":null,\"status\":null,\"reason\":null,"
    " \"_embedded\":{\"contact\":{\"name\":\"someone else\"}}}]}]}",
    &c);

  g_assert_false (c.had_resource);
  g_assert_null (c.in_rel);
  g_assert_null (c.status);
  g_assert_null (c.link_title);
  captured_clear (&c);
}

static void
test_empty_timeout_answer (void)
{
  UcwaDispatchStats stats = { 7, 7, 7 };
  g_autoptr(GPtrArray) log = dispatch (catch_all_table,
    "{\"_links\":{\"self\":{\"href\":\"" APP "/events?ack=3\"},"
    "\"next\":{\"href\":\"" APP "/events?ack=4\"}}}",
    &stats);

  g_assert_cmpuint (log->len, ==, 0);
  g_assert_cmpuint (stats.handled, ==, 0);
  g_assert_cmpuint (stats.ignored, ==, 0);
  g_assert_cmpuint (stats.malformed, ==, 0);

  /* Stats are optional. */
  {
    g_autoptr(JsonNode) answer = parse ("{\"sender\":[]}");
    g_assert_true (ucwa_dispatch_answer (catch_all_table, answer, log, NULL, NULL));
    g_assert_cmpuint (log->len, ==, 0);
  }
}

static void
test_not_an_object (void)
{
  const char *answers[] = { "[]", "\"text\"", "42", "null" };

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(JsonNode) answer = parse (answers[i]);
      g_autoptr(GError) error = NULL;
      UcwaDispatchStats stats;

      g_assert_false (ucwa_dispatch_answer (catch_all_table, answer, NULL, &stats, &error));
      g_assert_error (error, UCWA_ERROR, UCWA_ERROR_PROTOCOL);
    }

  {
    g_autoptr(GError) error = NULL;
    g_assert_false (ucwa_dispatch_answer (catch_all_table, NULL, NULL, NULL, &error));
    g_assert_error (error, UCWA_ERROR, UCWA_ERROR_PROTOCOL);
  }
}

static void
test_malformed_senders (void)
{
  const char *answers[] = { "{\"sender\":\"x\"}", "{\"sender\":{}}", "{\"sender\":7}" };
  UcwaDispatchStats stats;

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(GPtrArray) log = dispatch (catch_all_table, answers[i], &stats);

      g_assert_cmpuint (log->len, ==, 0);
      g_assert_cmpuint (stats.malformed, ==, 1);
      g_assert_cmpuint (stats.handled + stats.ignored, ==, 0);
    }

  {
    g_autoptr(GPtrArray) log = dispatch (catch_all_table,
      "{\"sender\":[42, null, \"s\", [], {\"rel\":\"me\"},"
      " {\"rel\":\"me\",\"events\":{}}, {\"rel\":5,\"events\":[]},"
      " {\"rel\":\"me\",\"href\":[],\"events\":[]},"
      " {\"events\":[{\"type\":\"updated\",\"link\":{\"rel\":\"me\",\"href\":\"m\"}}]}]}",
      &stats);

    g_assert_cmpuint (stats.malformed, ==, 8);
    /* A sender without rel still delivers its events, to wildcard rows. */
    g_assert_cmpuint (stats.handled, ==, 1);
    g_assert_cmpuint (log->len, ==, 1);
    g_assert_cmpstr (log->pdata[0], ==, "anything updated me m");
  }
}

static void
test_malformed_events (void)
{
  UcwaDispatchStats stats;
  g_autoptr(GPtrArray) log = dispatch (conversation_table,
    "{\"sender\":[{\"rel\":\"conversation\",\"href\":\"c\",\"events\":["
    "7, null, \"e\", [],"
    "{\"type\":\"added\"},"
    "{\"type\":\"added\",\"link\":\"p\"},"
    "{\"type\":\"added\",\"link\":{\"rel\":\"participant\"}},"
    "{\"type\":\"added\",\"link\":{\"href\":\"p\"}},"
    "{\"type\":\"added\",\"link\":{\"rel\":\"participant\",\"href\":7}},"
    "{\"type\":\"added\",\"link\":{\"rel\":\"participant\",\"href\":\"p\",\"title\":{}}},"
    "{\"type\":5,\"link\":{\"rel\":\"participant\",\"href\":\"p\"}},"
    "{\"link\":{\"rel\":\"participant\",\"href\":\"p\"}},"
    "{\"type\":\"added\",\"link\":{\"rel\":\"participant\",\"href\":\"p\"},\"in\":\"typingParticipants\"},"
    "{\"type\":\"added\",\"link\":{\"rel\":\"participant\",\"href\":\"p\"},\"in\":{\"href\":\"t\"}},"
    "{\"type\":\"added\",\"link\":{\"rel\":\"participant\",\"href\":\"p\"},\"status\":3},"
    "{\"type\":\"added\",\"link\":{\"rel\":\"participant\",\"href\":\"p\"},\"reason\":\"x\"},"
    "{\"type\":\"added\",\"link\":{\"rel\":\"participant\",\"href\":\"p\"},\"_embedded\":[]},"
    "{\"type\":\"added\",\"link\":{\"rel\":\"participant\",\"href\":\"p\"},\"_embedded\":{\"participant\":\"x\"}},"
    "{\"type\":\"added\",\"link\":{\"rel\":\"participant\",\"href\":\"ok\"}}"
    "]},"
    "{\"rel\":\"conversation\",\"href\":\"c\",\"events\":["
    "{\"type\":\"updated\",\"link\":{\"rel\":\"messaging\",\"href\":\"still-ok\"}}]}]}",
    &stats);

  /* Everything broken is skipped, and what follows still arrives. */
  g_assert_cmpuint (stats.malformed, ==, 18);
  g_assert_cmpuint (stats.handled, ==, 2);
  g_assert_cmpuint (stats.ignored, ==, 0);
  g_assert_cmpuint (log->len, ==, 2);
  g_assert_cmpstr (log->pdata[0], ==, "roster added participant ok");
  g_assert_cmpstr (log->pdata[1], ==, "conversation-any updated messaging still-ok");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dispatch/table-matching", test_table_matching);
  g_test_add_func ("/dispatch/first-row-wins", test_first_row_wins);
  g_test_add_func ("/dispatch/order-across-senders", test_order_across_senders);
  g_test_add_func ("/dispatch/embedded-by-link-rel", test_embedded_by_link_rel);
  g_test_add_func ("/dispatch/fields-filled", test_fields_filled);
  g_test_add_func ("/dispatch/link-only-and-null-members", test_link_only_and_null_members);
  g_test_add_func ("/dispatch/empty-timeout-answer", test_empty_timeout_answer);
  g_test_add_func ("/dispatch/not-an-object", test_not_an_object);
  g_test_add_func ("/dispatch/malformed-senders", test_malformed_senders);
  g_test_add_func ("/dispatch/malformed-events", test_malformed_events);

  return g_test_run ();
}
