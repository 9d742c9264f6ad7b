/* test-operations.c: every ordering of a UCWA operation's 201 and events. */
#include <json-glib/json-glib.h>
#include <string.h>

#include "ucwa-error.h"
#include "ucwa-operations.h"
#include "ucwa-resource.h"

#define INVITATION "/ucwa/oauth/v1/applications/105/communication/messagingInvitations/60c6"

typedef struct _Record Record;
struct _Record {
  guint   calls;
  guint   destroyed;
  char   *id;
  GError *error;
  gboolean had_resource;
  char   *state;      /* the resource's `state`, when it had one */
  /* re-entrancy hooks */
  UcwaOperations *ops;
  gboolean cancel_all_in_callback;
  gboolean free_in_callback;
  gboolean register_in_callback;
  Record *registered;
  const char *registered_id;
  GMainLoop *loop;
};

static void
record_clear (Record *record)
{
  g_clear_pointer (&record->id, g_free);
  g_clear_pointer (&record->state, g_free);
  g_clear_error (&record->error);
}

static void
record_destroyed (gpointer data)
{
  Record *record = data;

  /* The callback must have run before its data goes. */
  g_assert_cmpuint (record->calls, ==, 1);
  record->destroyed++;
}

static void
record_callback (const char   *operation_id,
                 JsonObject   *resource,
                 const GError *error,
                 gpointer      user_data)
{
  Record *record = user_data;

  record->calls++;
  g_free (record->id);
  record->id = g_strdup (operation_id);
  g_clear_error (&record->error);
  if (error != NULL)
    record->error = g_error_copy (error);
  record->had_resource = resource != NULL;
  g_free (record->state);
  record->state = g_strdup (ucwa_resource_get_string (resource, "state"));

  if (record->loop != NULL)
    g_main_loop_quit (record->loop);
  if (record->register_in_callback)
    {
      record->register_in_callback = FALSE;
      record->registered_id = ucwa_operations_register (record->ops,
                                                        record_callback,
                                                        record->registered,
                                                        NULL);
    }
  if (record->cancel_all_in_callback)
    ucwa_operations_cancel_all (record->ops);
  if (record->free_in_callback)
    ucwa_operations_free (record->ops);
}

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

/* An embedded messagingInvitation echoing @operation_id. */
static JsonNode *
invitation (const char *operation_id,
            const char *state)
{
  g_autofree char *json = g_strdup_printf (
    "{\"rel\":\"messagingInvitation\",\"direction\":\"Outgoing\","
    "\"operationId\":\"%s\",\"state\":\"%s\","
    "\"_links\":{\"self\":{\"href\":\"" INVITATION "\"}}}",
    operation_id, state);

  return parse (json);
}

static gboolean
feed (UcwaOperations *ops,
      const char     *type,
      const char     *href,
      const char     *status,
      const char     *reason_json,
      const char     *operation_id,
      const char     *state)
{
  g_autoptr(JsonNode) resource = NULL;
  g_autoptr(JsonNode) reason = NULL;

  if (operation_id != NULL)
    resource = invitation (operation_id, state);
  if (reason_json != NULL)
    reason = parse (reason_json);

  return ucwa_operations_handle_event (ops, type, href, status,
                                       reason ? json_node_get_object (reason) : NULL,
                                       resource ? json_node_get_object (resource) : NULL);
}

static void
test_201_then_events (void)
{
  g_autoptr(UcwaOperations) ops = ucwa_operations_new (0, 1000);
  Record record = { 0 };
  g_autofree char *id = NULL;

  id = g_strdup (ucwa_operations_register (ops, record_callback, &record,
                                           record_destroyed));
  g_assert_cmpuint (ucwa_operations_pending_count (ops), ==, 1);

  ucwa_operations_post_succeeded (ops, id, INVITATION);
  g_assert_cmpuint (record.calls, ==, 0);

  g_assert_true (feed (ops, "started", INVITATION, NULL, NULL, id, "Connecting"));
  g_assert_true (feed (ops, "updated", INVITATION, NULL, NULL, id, "Connecting"));
  g_assert_cmpuint (record.calls, ==, 0);
  g_assert_cmpuint (ucwa_operations_pending_count (ops), ==, 1);

  g_assert_true (feed (ops, "completed", INVITATION, "Success", NULL, id, "Connected"));
  g_assert_cmpuint (record.calls, ==, 1);
  g_assert_cmpuint (record.destroyed, ==, 1);
  g_assert_no_error (record.error);
  g_assert_cmpstr (record.id, ==, id);
  g_assert_true (record.had_resource);
  g_assert_cmpstr (record.state, ==, "Connected");
  g_assert_cmpuint (ucwa_operations_pending_count (ops), ==, 0);
  record_clear (&record);
}

static void
test_events_before_201 (void)
{
  g_autoptr(UcwaOperations) ops = ucwa_operations_new (0, 1000);
  Record record = { 0 };
  g_autofree char *id = NULL;

  id = g_strdup (ucwa_operations_register (ops, record_callback, &record,
                                           record_destroyed));

  g_assert_true (feed (ops, "started", INVITATION, NULL, NULL, id, "Connecting"));
  g_assert_true (feed (ops, "completed", INVITATION, "Success", NULL, id, "Connected"));
  g_assert_cmpuint (record.calls, ==, 1);
  g_assert_no_error (record.error);

  /* The late 201 changes nothing. */
  ucwa_operations_post_succeeded (ops, id, INVITATION);
  g_assert_cmpuint (record.calls, ==, 1);
  g_assert_cmpuint (record.destroyed, ==, 1);
  g_assert_no_error (record.error);
  g_assert_cmpuint (ucwa_operations_pending_count (ops), ==, 0);
  record_clear (&record);
}

static void
test_completed_without_started (void)
{
  g_autoptr(UcwaOperations) ops = ucwa_operations_new (0, 1000);
  Record record = { 0 };
  g_autofree char *id = NULL;

  id = g_strdup (ucwa_operations_register (ops, record_callback, &record, NULL));
  ucwa_operations_post_succeeded (ops, id, INVITATION);

  g_assert_true (feed (ops, "completed", INVITATION, "Success", NULL, id, "Connected"));
  g_assert_cmpuint (record.calls, ==, 1);
  g_assert_no_error (record.error);
  g_assert_cmpstr (record.state, ==, "Connected");
  record_clear (&record);
}

static void
test_completed_by_href_only (void)
{
  g_autoptr(UcwaOperations) ops = ucwa_operations_new (0, 1000);
  Record record = { 0 };
  g_autofree char *id = NULL;
  const char *message = "/ucwa/oauth/v1/applications/105/communication/conversations/21a1/messaging/messages/2";

  id = g_strdup (ucwa_operations_register (ops, record_callback, &record, NULL));

  /* Before the 201 the href is nobody's. */
  g_assert_false (feed (ops, "started", message, NULL, NULL, NULL, NULL));

  ucwa_operations_post_succeeded (ops, id, message);
  g_assert_true (feed (ops, "started", message, NULL, NULL, NULL, NULL));
  g_assert_cmpuint (record.calls, ==, 0);
  g_assert_true (feed (ops, "completed", message, "Success", NULL, NULL, NULL));
  g_assert_cmpuint (record.calls, ==, 1);
  g_assert_no_error (record.error);
  g_assert_false (record.had_resource);
  record_clear (&record);
}

static void
test_href_learnt_from_event (void)
{
  g_autoptr(UcwaOperations) ops = ucwa_operations_new (0, 1000);
  Record record = { 0 };
  g_autofree char *id = NULL;

  id = g_strdup (ucwa_operations_register (ops, record_callback, &record, NULL));

  /* The started event names the href; the link-only completed uses it. */
  g_assert_true (feed (ops, "started", INVITATION, NULL, NULL, id, "Connecting"));
  g_assert_true (feed (ops, "completed", INVITATION, "Success", NULL, NULL, NULL));
  g_assert_cmpuint (record.calls, ==, 1);
  g_assert_no_error (record.error);
  record_clear (&record);
}

static void
test_failure_with_reason (void)
{
  g_autoptr(UcwaOperations) ops = ucwa_operations_new (0, 1000);
  Record record = { 0 };
  g_autofree char *id = NULL;

  id = g_strdup (ucwa_operations_register (ops, record_callback, &record, NULL));
  ucwa_operations_post_succeeded (ops, id, INVITATION);
  g_assert_true (feed (ops, "started", INVITATION, NULL, NULL, id, "Connecting"));
  g_assert_true (feed (ops, "completed", INVITATION, "Failure",
                       "{\"code\":\"Forbidden\",\"subcode\":\"Declined\","
                       "\"message\":\"Lene Aaling declined the invitation.\"}",
                       id, "Disconnected"));

  g_assert_cmpuint (record.calls, ==, 1);
  g_assert_error (record.error, UCWA_ERROR, UCWA_ERROR_OPERATION_FAILED);
  g_assert_cmpstr (record.error->message, ==, "Lene Aaling declined the invitation.");
  g_assert_false (record.had_resource);
  record_clear (&record);
}

/* One completion outcome: status and reason in, message out (NULL = success). */
static void
check_completion (const char *status,
                  const char *reason,
                  const char *expected_message)
{
  g_autoptr(UcwaOperations) ops = ucwa_operations_new (0, 1000);
  Record record = { 0 };
  g_autofree char *id = NULL;

  id = g_strdup (ucwa_operations_register (ops, record_callback, &record, NULL));
  g_assert_true (feed (ops, "completed", INVITATION, status, reason, id, "X"));
  g_assert_cmpuint (record.calls, ==, 1);

  if (expected_message == NULL)
    g_assert_no_error (record.error);
  else
    {
      g_assert_error (record.error, UCWA_ERROR, UCWA_ERROR_OPERATION_FAILED);
      g_assert_cmpstr (record.error->message, ==, expected_message);
    }
  record_clear (&record);
}

static void
test_completion_outcomes (void)
{
  /* Missing status plus a reason is a failure. */
  check_completion (NULL, "{\"code\":\"Gone\",\"subcode\":\"Timeout\",\"message\":\"No answer.\"}",
                    "No answer.");
  /* Without a message the subcode, then the code, is what we can show. */
  check_completion ("Failure", "{\"code\":\"Forbidden\",\"subcode\":\"Busy\"}", "Busy");
  check_completion ("Failure", "{\"code\":\"Forbidden\"}", "Forbidden");
  /* Another status without a reason still fails, naming the status. */
  check_completion ("Failed", NULL, "The operation ended with status Failed");
  /* No status and no reason: success (aggregation may strip the status). */
  check_completion (NULL, NULL, NULL);
  /* Case of the status does not matter; a reason next to Success is only
   * information. */
  check_completion ("success", NULL, NULL);
  check_completion ("Success", "{\"code\":\"Informational\",\"message\":\"x\"}", NULL);
}

static void
test_post_failed (void)
{
  g_autoptr(UcwaOperations) ops = ucwa_operations_new (0, 1000);
  g_autoptr(GError) error = g_error_new_literal (UCWA_ERROR, UCWA_ERROR_SERVER,
                                                 "ParameterValidationFailure");
  Record record = { 0 };
  g_autofree char *id = NULL;

  id = g_strdup (ucwa_operations_register (ops, record_callback, &record,
                                           record_destroyed));
  ucwa_operations_post_failed (ops, id, error);

  g_assert_cmpuint (record.calls, ==, 1);
  g_assert_cmpuint (record.destroyed, ==, 1);
  g_assert_error (record.error, UCWA_ERROR, UCWA_ERROR_SERVER);
  g_assert_cmpstr (record.error->message, ==, "ParameterValidationFailure");
  g_assert_cmpuint (ucwa_operations_pending_count (ops), ==, 0);

  /* An event arriving after the failure is a known, finished operation. */
  g_assert_true (feed (ops, "started", INVITATION, NULL, NULL, id, "Connecting"));
  g_assert_cmpuint (record.calls, ==, 1);
  record_clear (&record);
}

static void
test_post_failed_after_completed (void)
{
  g_autoptr(UcwaOperations) ops = ucwa_operations_new (0, 1000);
  g_autoptr(GError) error = g_error_new_literal (UCWA_ERROR, UCWA_ERROR_NETWORK,
                                                 "connection reset");
  Record record = { 0 };
  g_autofree char *id = NULL;

  id = g_strdup (ucwa_operations_register (ops, record_callback, &record, NULL));
  g_assert_true (feed (ops, "completed", INVITATION, "Success", NULL, id, "Connected"));
  ucwa_operations_post_failed (ops, id, error);

  g_assert_cmpuint (record.calls, ==, 1);
  g_assert_no_error (record.error);
  g_assert_true (record.had_resource);
  record_clear (&record);
}

static gboolean
fail_on_hang (gpointer data)
{
  g_assert_not_reached ();
  return G_SOURCE_REMOVE;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
spin (guint ms)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  g_timeout_add (ms, quit_loop, loop);
  g_main_loop_run (loop);
}

static void
test_timeout (void)
{
  g_autoptr(UcwaOperations) ops = ucwa_operations_new (50, 1000);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Record record = { .loop = loop };
  Record other = { 0 };
  g_autofree char *other_id = NULL;
  gint64 start = g_get_monotonic_time ();
  guint guard;

  ucwa_operations_register (ops, record_callback, &record, NULL);
  other_id = g_strdup (ucwa_operations_register (ops, record_callback, &other, NULL));
  /* The second one completes in time and must not time out later. */
  g_assert_true (feed (ops, "completed", INVITATION, "Success", NULL, other_id, "Connected"));

  guard = g_timeout_add_seconds (5, fail_on_hang, NULL);
  g_main_loop_run (loop);
  g_source_remove (guard);

  g_assert_cmpint (g_get_monotonic_time () - start, >=, 45 * 1000);
  g_assert_cmpuint (record.calls, ==, 1);
  g_assert_error (record.error, UCWA_ERROR, UCWA_ERROR_TIMEOUT);
  g_assert_false (record.had_resource);
  g_assert_cmpuint (ucwa_operations_pending_count (ops), ==, 0);

  spin (100);
  g_assert_cmpuint (record.calls, ==, 1);
  g_assert_cmpuint (other.calls, ==, 1);
  g_assert_no_error (other.error);
  record_clear (&record);
  record_clear (&other);
}

static void
test_cancel_all (void)
{
  g_autoptr(UcwaOperations) ops = ucwa_operations_new (30, 1000);
  Record records[3] = { { 0 } };
  Record done = { 0 };
  g_autofree char *done_id = NULL;

  done_id = g_strdup (ucwa_operations_register (ops, record_callback, &done, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    ucwa_operations_register (ops, record_callback, &records[i], record_destroyed);
  g_assert_true (feed (ops, "completed", INVITATION, "Success", NULL, done_id, "Connected"));
  g_assert_cmpuint (ucwa_operations_pending_count (ops), ==, 3);

  ucwa_operations_cancel_all (ops);
  g_assert_cmpuint (ucwa_operations_pending_count (ops), ==, 0);
  ucwa_operations_cancel_all (ops);

  /* Their timeouts are gone with them. */
  spin (80);

  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    {
      g_assert_cmpuint (records[i].calls, ==, 1);
      g_assert_cmpuint (records[i].destroyed, ==, 1);
      g_assert_error (records[i].error, UCWA_ERROR, UCWA_ERROR_CANCELLED);
      record_clear (&records[i]);
    }
  g_assert_cmpuint (done.calls, ==, 1);
  g_assert_no_error (done.error);
  record_clear (&done);
}

static void
test_free_with_pending (void)
{
  UcwaOperations *ops = ucwa_operations_new (30, 1000);
  Record records[2] = { { 0 } };

  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    ucwa_operations_register (ops, record_callback, &records[i], record_destroyed);

  ucwa_operations_free (ops);
  spin (60);

  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    {
      g_assert_cmpuint (records[i].calls, ==, 1);
      g_assert_cmpuint (records[i].destroyed, ==, 1);
      g_assert_error (records[i].error, UCWA_ERROR, UCWA_ERROR_CANCELLED);
      record_clear (&records[i]);
    }
}

static void
test_duplicate_after_finish (void)
{
  g_autoptr(UcwaOperations) ops = ucwa_operations_new (0, 40);
  Record record = { 0 };
  g_autofree char *id = NULL;

  id = g_strdup (ucwa_operations_register (ops, record_callback, &record, NULL));
  ucwa_operations_post_succeeded (ops, id, INVITATION);
  g_assert_true (feed (ops, "completed", INVITATION, "Success", NULL, id, "Connected"));
  g_assert_cmpuint (record.calls, ==, 1);

  /* The same completion again, by operationId and link-only by href. */
  g_assert_true (feed (ops, "completed", INVITATION, "Success", NULL, id, "Connected"));
  g_assert_true (feed (ops, "completed", INVITATION, "Failure",
                       "{\"code\":\"Gone\",\"message\":\"late\"}", NULL, NULL));
  g_assert_true (feed (ops, "updated", INVITATION, NULL, NULL, NULL, NULL));
  g_assert_cmpuint (record.calls, ==, 1);
  g_assert_no_error (record.error);

  /* The tombstone expires, even before any sweep ran: then the event is
   * nobody's. */
  g_usleep (60 * 1000);
  g_assert_false (feed (ops, "updated", INVITATION, NULL, NULL, NULL, NULL));
  spin (120);
  g_assert_false (feed (ops, "completed", INVITATION, "Success", NULL, id, "Connected"));
  g_assert_false (feed (ops, "completed", INVITATION, "Success", NULL, NULL, NULL));
  g_assert_cmpuint (record.calls, ==, 1);
  record_clear (&record);
}

static void
test_event_of_nobody (void)
{
  g_autoptr(UcwaOperations) ops = ucwa_operations_new (0, 1000);
  Record record = { 0 };
  g_autofree char *id = NULL;

  id = g_strdup (ucwa_operations_register (ops, record_callback, &record, NULL));
  ucwa_operations_post_succeeded (ops, id, INVITATION);

  /* An incoming invitation: no operationId, another href. */
  g_assert_false (feed (ops, "started",
                        "/ucwa/oauth/v1/applications/105/communication/messagingInvitations/6408",
                        NULL, NULL, NULL, NULL));
  /* Someone else's operationId on an unknown href. */
  g_assert_false (feed (ops, "completed", "/ucwa/x/1", "Success", NULL,
                        "not-one-of-ours", "Connected"));
  g_assert_false (ucwa_operations_handle_event (ops, "completed", NULL, "Success",
                                                NULL, NULL));
  g_assert_cmpuint (record.calls, ==, 0);
  g_assert_cmpuint (ucwa_operations_pending_count (ops), ==, 1);

  ucwa_operations_cancel_all (ops);
  g_assert_cmpuint (record.calls, ==, 1);
  record_clear (&record);
}

static void
test_callback_registers (void)
{
  g_autoptr(UcwaOperations) ops = ucwa_operations_new (0, 1000);
  Record second = { 0 };
  Record first = { .register_in_callback = TRUE };
  g_autofree char *first_id = NULL;
  g_autofree char *second_id = NULL;

  first.ops = ops;
  first.registered = &second;
  first_id = g_strdup (ucwa_operations_register (ops, record_callback, &first, NULL));
  g_assert_true (feed (ops, "completed", INVITATION, "Success", NULL, first_id, "Connected"));

  g_assert_cmpuint (first.calls, ==, 1);
  g_assert_nonnull (first.registered_id);
  second_id = g_strdup (first.registered_id);
  g_assert_cmpstr (second_id, !=, first_id);
  g_assert_cmpuint (ucwa_operations_pending_count (ops), ==, 1);
  g_assert_cmpuint (second.calls, ==, 0);

  g_assert_true (feed (ops, "completed", "/ucwa/other", "Success", NULL, second_id, "Connected"));
  g_assert_cmpuint (second.calls, ==, 1);
  g_assert_no_error (second.error);
  g_assert_cmpuint (first.calls, ==, 1);
  record_clear (&first);
  record_clear (&second);
}

static void
test_callback_cancels_all (void)
{
  g_autoptr(UcwaOperations) ops = ucwa_operations_new (0, 1000);
  Record first = { .cancel_all_in_callback = TRUE };
  Record others[3] = { { 0 } };
  g_autofree char *first_id = NULL;

  first.ops = ops;
  first_id = g_strdup (ucwa_operations_register (ops, record_callback, &first, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    ucwa_operations_register (ops, record_callback, &others[i], record_destroyed);

  g_assert_true (feed (ops, "completed", INVITATION, "Success", NULL, first_id, "Connected"));
  g_assert_cmpuint (first.calls, ==, 1);
  g_assert_no_error (first.error);
  g_assert_cmpuint (ucwa_operations_pending_count (ops), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_assert_cmpuint (others[i].calls, ==, 1);
      g_assert_error (others[i].error, UCWA_ERROR, UCWA_ERROR_CANCELLED);
      record_clear (&others[i]);
    }
  record_clear (&first);
}

static void
test_cancel_callback_cancels_all (void)
{
  g_autoptr(UcwaOperations) ops = ucwa_operations_new (0, 1000);
  Record records[4] = { { 0 } };

  /* Every callback cancels all again, while cancel_all is running. */
  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    {
      records[i].ops = ops;
      records[i].cancel_all_in_callback = TRUE;
      ucwa_operations_register (ops, record_callback, &records[i], record_destroyed);
    }

  ucwa_operations_cancel_all (ops);
  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    {
      g_assert_cmpuint (records[i].calls, ==, 1);
      g_assert_cmpuint (records[i].destroyed, ==, 1);
      g_assert_error (records[i].error, UCWA_ERROR, UCWA_ERROR_CANCELLED);
      record_clear (&records[i]);
    }
}

static void
test_callback_frees_registry (void)
{
  UcwaOperations *ops = ucwa_operations_new (0, 1000);
  Record first = { .free_in_callback = TRUE };
  Record others[2] = { { 0 } };
  g_autofree char *first_id = NULL;

  first.ops = ops;
  first_id = g_strdup (ucwa_operations_register (ops, record_callback, &first, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    ucwa_operations_register (ops, record_callback, &others[i], record_destroyed);

  /* Freed from inside the callback: the others are cancelled, once. */
  g_assert_true (feed (ops, "completed", INVITATION, "Success", NULL, first_id, "Connected"));
  g_assert_cmpuint (first.calls, ==, 1);
  g_assert_no_error (first.error);
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_assert_cmpuint (others[i].calls, ==, 1);
      g_assert_cmpuint (others[i].destroyed, ==, 1);
      g_assert_error (others[i].error, UCWA_ERROR, UCWA_ERROR_CANCELLED);
      record_clear (&others[i]);
    }
  record_clear (&first);
}

static void
test_free_callback_registers (void)
{
  UcwaOperations *ops = ucwa_operations_new (0, 1000);
  Record late = { 0 };
  Record first = { .register_in_callback = TRUE };

  first.ops = ops;
  first.registered = &late;
  ucwa_operations_register (ops, record_callback, &first, NULL);

  /* What a cancelled callback registers during free is cancelled too. */
  ucwa_operations_free (ops);
  g_assert_cmpuint (first.calls, ==, 1);
  g_assert_error (first.error, UCWA_ERROR, UCWA_ERROR_CANCELLED);
  g_assert_nonnull (first.registered_id);
  g_assert_cmpuint (late.calls, ==, 1);
  g_assert_error (late.error, UCWA_ERROR, UCWA_ERROR_CANCELLED);
  record_clear (&first);
  record_clear (&late);
}

static void
test_href_case_insensitive (void)
{
  g_autoptr(UcwaOperations) ops = ucwa_operations_new (0, 1000);
  Record record = { 0 };
  Record absolute = { 0 };
  g_autofree char *id = NULL;
  g_autofree char *absolute_id = NULL;

  id = g_strdup (ucwa_operations_register (ops, record_callback, &record, NULL));
  ucwa_operations_post_succeeded (ops, id,
    "/ucwa/oauth/v1/applications/105/communication/conversations/21a1/participantInvitations/SaraD@contoso.com");
  g_assert_true (feed (ops, "completed",
    "/ucwa/oauth/v1/applications/105/communication/conversations/21a1/participantinvitations/sarad@contoso.com",
    "Success", NULL, NULL, NULL));
  g_assert_cmpuint (record.calls, ==, 1);
  g_assert_no_error (record.error);

  /* An absolute Location and a relative event href name one resource. */
  absolute_id = g_strdup (ucwa_operations_register (ops, record_callback, &absolute, NULL));
  ucwa_operations_post_succeeded (ops, absolute_id,
    "https://LyncWeb.contoso.com/ucwa/oauth/v1/applications/105/messaging/messages/7");
  g_assert_true (feed (ops, "completed",
    "/ucwa/oauth/v1/applications/105/Messaging/Messages/7", "Success", NULL, NULL, NULL));
  g_assert_cmpuint (absolute.calls, ==, 1);
  record_clear (&record);
  record_clear (&absolute);
}

static void
ignore_callback (const char   *operation_id,
                 JsonObject   *resource,
                 const GError *error,
                 gpointer      user_data)
{
  guint *calls = user_data;

  g_assert_error (error, UCWA_ERROR, UCWA_ERROR_CANCELLED);
  (*calls)++;
}

static void
test_ids_unique_and_short (void)
{
  UcwaOperations *ops = ucwa_operations_new (0, 1000);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const guint n = 1000;
  guint calls = 0;

  for (guint i = 0; i < n; i++)
    {
      const char *id = ucwa_operations_register (ops, ignore_callback, &calls, NULL);

      g_assert_nonnull (id);
      g_assert_cmpuint (strlen (id), >, 0);
      g_assert_cmpuint (strlen (id), <=, 50);
      g_assert_false (g_hash_table_contains (seen, id));
      g_hash_table_add (seen, g_strdup (id));
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, n);
  g_assert_cmpuint (ucwa_operations_pending_count (ops), ==, n);

  ucwa_operations_free (ops);
  g_assert_cmpuint (calls, ==, n);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/operations/201-then-events", test_201_then_events);
  g_test_add_func ("/operations/events-before-201", test_events_before_201);
  g_test_add_func ("/operations/completed-without-started", test_completed_without_started);
  g_test_add_func ("/operations/completed-by-href-only", test_completed_by_href_only);
  g_test_add_func ("/operations/href-learnt-from-event", test_href_learnt_from_event);
  g_test_add_func ("/operations/failure-with-reason", test_failure_with_reason);
  g_test_add_func ("/operations/completion-outcomes", test_completion_outcomes);
  g_test_add_func ("/operations/post-failed", test_post_failed);
  g_test_add_func ("/operations/post-failed-after-completed", test_post_failed_after_completed);
  g_test_add_func ("/operations/timeout", test_timeout);
  g_test_add_func ("/operations/cancel-all", test_cancel_all);
  g_test_add_func ("/operations/free-with-pending", test_free_with_pending);
  g_test_add_func ("/operations/duplicate-after-finish", test_duplicate_after_finish);
  g_test_add_func ("/operations/event-of-nobody", test_event_of_nobody);
  g_test_add_func ("/operations/reentrant/register", test_callback_registers);
  g_test_add_func ("/operations/reentrant/cancel-all", test_callback_cancels_all);
  g_test_add_func ("/operations/reentrant/cancel-all-while-cancelling", test_cancel_callback_cancels_all);
  g_test_add_func ("/operations/reentrant/free", test_callback_frees_registry);
  g_test_add_func ("/operations/reentrant/register-while-freeing", test_free_callback_registers);
  g_test_add_func ("/operations/href-case-insensitive", test_href_case_insensitive);
  g_test_add_func ("/operations/ids-unique-and-short", test_ids_unique_and_short);

  return g_test_run ();
}
