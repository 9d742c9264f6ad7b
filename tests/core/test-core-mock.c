/* test-core-mock.c: the protocol core against the real mock server.
 *
 * A recorder implements the core's listener and writes down what it is
 * told; each test drives a client (or two) through the mock and asserts on
 * that record.  Run with `--events-before-201` to have the mock release
 * every operation's events before answering its POST.
 */
#include <gio/gio.h>
#include <string.h>

#include "recorder.h"
#include "test-wait.h"

/* ---- tests --------------------------------------------------------------- */

static void
test_sign_in_and_contacts (void)
{
  g_autoptr(MockServer) mock = start_mock ();
  g_autoptr(Recorder) alice = sign_in (mock, "alice@example.test", "alice-password");

  g_assert_cmpuint (mock_server_count_applications (mock, "alice@example.test"), ==, 1);
  expect (alice, "contact", "bob@example.test", "Bob Berg");
  expect (alice, "contact", "carol@example.test", "Carol Cruz");
  expect (alice, "contact", "echo@example.test", "Echo Bot");
  expect (alice, "presence", "echo@example.test", "Online");
  expect (alice, "presence", "bob@example.test", "Offline");
  g_assert_cmpstr (ucwa_client_get_display_name (alice->client), !=, NULL);
}

static guint
parked_pgets (MockServer *mock)
{
  g_autoptr(JsonNode) root = mock_server_get_json (mock, "/mock/v1/state");
  JsonArray *users = json_object_get_array_member (json_node_get_object (root), "users");
  guint parked = 0;

  for (guint i = 0; i < json_array_get_length (users); i++)
    {
      JsonArray *apps = json_object_get_array_member (json_array_get_object_element (users, i),
                                                      "applications");
      for (guint j = 0; j < json_array_get_length (apps); j++)
        parked += json_object_get_int_member (json_array_get_object_element (apps, j),
                                              "parkedPGets");
    }
  return parked;
}

static gboolean
one_pget_parked (gconstpointer mock)
{
  return parked_pgets ((MockServer *) mock) == 1;
}

static void
test_event_channel_and_keepalive (void)
{
  g_autoptr(MockServer) mock = start_mock_with ("--pget-timeout 1");
  g_autoptr(Recorder) alice = recorder_new_full ("alice@example.test", "alice-password",
                                                 mock_server_get_root_url (mock), 400, 0);

  expect (alice, "connected", NULL, NULL);
  /* Several empty releases and keep-alives go by... */
  test_run_for (3500);
  g_assert_cmpuint (mock_server_count_requests (mock, "GET", "*/events"), >=, 3);
  g_assert_cmpuint (mock_server_count_requests (mock, "POST", "*/reportMyActivity"), >=, 4);
  /* ...and the channel parks its next P-GET again. */
  g_assert_true (test_wait_until (one_pget_parked, mock, WAIT_MS));
  g_assert_null (alice->disconnect);
  g_assert_cmpuint (mock_server_post (mock, "/mock/v1/send-im",
                                      "{\"from\":\"carol@example.test\",\"to\":\"alice@example.test\","
                                      "\"text\":\"still there?\"}"), ==, 200);
  expect (alice, "received", "carol@example.test", "still there?");
}

static void
test_repeated_first_message_dropped (void)
{
  g_autoptr(MockServer) mock = start_mock_with ("--repeat-first-message");
  g_autoptr(Recorder) alice = sign_in (mock, "alice@example.test", "alice-password");

  g_assert_cmpuint (mock_server_post (mock, "/mock/v1/send-im",
                                      "{\"from\":\"bob@example.test\",\"to\":\"alice@example.test\","
                                      "\"text\":\"only once\"}"), ==, 200);
  expect (alice, "received", "bob@example.test", "only once");
  g_assert_cmpuint (mock_server_post (mock, "/mock/v1/send-im",
                                      "{\"from\":\"bob@example.test\",\"to\":\"alice@example.test\","
                                      "\"text\":\"next\"}"), ==, 200);
  expect (alice, "received", "bob@example.test", "next");
  g_assert_cmpuint (count_lines (alice, "received|bob@example.test|only once"), ==, 1);
}

static void
test_echo_round_trip (void)
{
  g_autoptr(MockServer) mock = start_mock ();
  g_autoptr(Recorder) alice = sign_in (mock, "alice@example.test", "alice-password");
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) message_ids = NULL;

  ucwa_client_send_im (alice->client, "echo@example.test", TRICKY_TEXT);
  expect (alice, "sent", "echo@example.test", TRICKY_TEXT);
  expect (alice, "received", "echo@example.test", "echo: " TRICKY_TEXT);

  /* The second message goes to sendMessage in the same conversation. */
  ucwa_client_send_im (alice->client, "echo@example.test", "second");
  expect (alice, "received", "echo@example.test", "echo: second");
  expect (alice, "sent", "echo@example.test", "second");

  g_assert_cmpuint (mock_server_count_requests (mock, "POST", "*/messagingInvitations"), ==, 1);
  g_assert_cmpuint (mock_server_count_requests (mock, "POST", "*/messages"), ==, 1);
  /* Every operation named by us, each with its own operationId. */
  ids = mock_server_get_operation_ids (mock, "POST", "*/messagingInvitations");
  message_ids = mock_server_get_operation_ids (mock, "POST", "*/messages");
  g_ptr_array_extend_and_steal (ids, g_steal_pointer (&message_ids));
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_nonnull (ids->pdata[0]);
  g_assert_nonnull (ids->pdata[1]);
  g_assert_cmpstr (ids->pdata[0], !=, ids->pdata[1]);
  g_assert_cmpuint (strlen (ids->pdata[0]), <=, 50);
  g_assert_cmpuint (strlen (ids->pdata[1]), <=, 50);
}

static void
test_queued_in_order (void)
{
  g_autoptr(MockServer) mock = start_mock ();
  g_autoptr(Recorder) alice = sign_in (mock, "alice@example.test", "alice-password");
  const char *texts[] = { "one", "two", "three", "four", "five" };
  gint last = -1;

  /* All typed before the conversation is connected. */
  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    ucwa_client_send_im (alice->client, "echo@example.test", texts[i]);

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *reply = g_strconcat ("echo: ", texts[i], NULL);
      gint at;

      expect (alice, "received", "echo@example.test", reply);
      expect (alice, "sent", "echo@example.test", texts[i]);
      at = index_of (alice, "received", "echo@example.test", reply);
      g_assert_cmpint (at, >, last);
      last = at;
    }
  g_assert_cmpuint (mock_server_count_requests (mock, "POST", "*/messagingInvitations"), ==, 1);
}

static void
test_incoming_injected (void)
{
  g_autoptr(MockServer) mock = start_mock ();
  g_autoptr(Recorder) alice = sign_in (mock, "alice@example.test", "alice-password");

  g_assert_cmpuint (mock_server_post (mock, "/mock/v1/send-im",
                                      "{\"from\":\"bob@example.test\",\"to\":\"alice@example.test\","
                                      "\"text\":\"" TRICKY_TEXT "\"}"), ==, 200);
  expect (alice, "received", "bob@example.test", TRICKY_TEXT);
  g_assert_cmpuint (mock_server_post (mock, "/mock/v1/send-im",
                                      "{\"from\":\"bob@example.test\",\"to\":\"alice@example.test\","
                                      "\"text\":\"and a second one\"}"), ==, 200);
  expect (alice, "received", "bob@example.test", "and a second one");
  /* Shown once each: no repeat of the invitation's message. */
  g_assert_cmpuint (count_lines (alice, "received|bob@example.test|" TRICKY_TEXT), ==, 1);
  /* Nobody signed in as carol: the mock refuses. */
  g_assert_cmpuint (mock_server_post (mock, "/mock/v1/send-im",
                                      "{\"from\":\"bob@example.test\",\"to\":\"carol@example.test\","
                                      "\"text\":\"x\"}"), ==, 404);
}

static void
test_two_users_and_typing (void)
{
  g_autoptr(MockServer) mock = start_mock ();
  g_autoptr(Recorder) alice = sign_in (mock, "alice@example.test", "alice-password");
  g_autoptr(Recorder) bob = sign_in (mock, "bob@example.test", "bob-password");

  ucwa_client_send_im (alice->client, "bob@example.test", "hi bob");
  expect (bob, "received", "alice@example.test", "hi bob");
  expect (alice, "sent", "bob@example.test", "hi bob");

  ucwa_client_send_im (bob->client, "alice@example.test", "hi alice");
  expect (alice, "received", "bob@example.test", "hi alice");
  expect (bob, "sent", "alice@example.test", "hi alice");

  ucwa_client_set_typing (alice->client, "bob@example.test", TRUE);
  expect (bob, "typing", "alice@example.test", NULL);
  ucwa_client_set_typing (alice->client, "bob@example.test", FALSE);
  expect (bob, "typing-stopped", "alice@example.test", NULL);
  g_assert_cmpuint (mock_server_count_requests (mock, "POST", "*/messaging/typing"), ==, 1);

  g_assert_cmpuint (mock_server_post (mock, "/mock/v1/typing",
                                      "{\"from\":\"bob@example.test\",\"to\":\"alice@example.test\","
                                      "\"typing\":true}"), ==, 200);
  expect (alice, "typing", "bob@example.test", NULL);
}

static void
test_failed_sends (void)
{
  g_autoptr(MockServer) mock = start_mock ();
  g_autoptr(Recorder) alice = sign_in (mock, "alice@example.test", "alice-password");

  ucwa_client_send_im (alice->client, "echo@example.test", "warm up");
  expect (alice, "received", "echo@example.test", "echo: warm up");

  g_assert_cmpuint (mock_server_post (mock, "/mock/v1/fail-next",
                                      "{\"operation\":\"sendMessage\",\"mode\":\"event\"}"), ==, 200);
  ucwa_client_send_im (alice->client, "echo@example.test", "lost in the event");
  expect (alice, "failed", "echo@example.test", "lost in the event");

  g_assert_cmpuint (mock_server_post (mock, "/mock/v1/fail-next",
                                      "{\"operation\":\"sendMessage\",\"mode\":\"http\"}"), ==, 200);
  ucwa_client_send_im (alice->client, "echo@example.test", "lost in the POST");
  expect (alice, "failed", "echo@example.test", "lost in the POST");

  /* The conversation survives: the next one is delivered. */
  ucwa_client_send_im (alice->client, "echo@example.test", "after");
  expect (alice, "received", "echo@example.test", "echo: after");
  g_assert_cmpuint (count_lines (alice, "sent|echo@example.test|lost in the event"), ==, 0);
  g_assert_cmpuint (count_lines (alice, "sent|echo@example.test|lost in the POST"), ==, 0);
}

static void
test_failed_invitation (void)
{
  g_autoptr(MockServer) mock = start_mock ();
  g_autoptr(Recorder) alice = sign_in (mock, "alice@example.test", "alice-password");

  /* Unknown address: the invitation completes with Failure; the first and
   * the queued texts are each reported. */
  ucwa_client_send_im (alice->client, "nobody@example.test", "first");
  ucwa_client_send_im (alice->client, "nobody@example.test", "queued");
  expect (alice, "failed", "nobody@example.test", "first");
  expect (alice, "failed", "nobody@example.test", "queued");

  /* Carol is not signed in. */
  ucwa_client_send_im (alice->client, "carol@example.test", "are you there?");
  expect (alice, "failed", "carol@example.test", "are you there?");

  g_assert_cmpuint (mock_server_post (mock, "/mock/v1/fail-next",
                                      "{\"operation\":\"startMessaging\",\"mode\":\"http\"}"), ==, 200);
  ucwa_client_send_im (alice->client, "echo@example.test", "refused");
  expect (alice, "failed", "echo@example.test", "refused");
  ucwa_client_send_im (alice->client, "echo@example.test", "retried");
  expect (alice, "received", "echo@example.test", "echo: retried");
}

static void
test_server_ends_conversation (void)
{
  g_autoptr(MockServer) mock = start_mock ();
  g_autoptr(Recorder) alice = sign_in (mock, "alice@example.test", "alice-password");

  ucwa_client_send_im (alice->client, "echo@example.test", "before");
  expect (alice, "received", "echo@example.test", "echo: before");

  g_assert_cmpuint (mock_server_post (mock, "/mock/v1/end-conversation",
                                      "{\"user\":\"alice@example.test\","
                                      "\"peer\":\"echo@example.test\"}"), ==, 200);
  expect (alice, "ended", "echo@example.test", NULL);

  ucwa_client_send_im (alice->client, "echo@example.test", "after");
  expect (alice, "received", "echo@example.test", "echo: after");
  expect (alice, "sent", "echo@example.test", "after");
  g_assert_cmpuint (mock_server_count_requests (mock, "POST", "*/messagingInvitations"), ==, 2);
}

static void
test_wrong_password (void)
{
  g_autoptr(MockServer) mock = start_mock ();
  g_autoptr(Recorder) alice = recorder_new ("alice@example.test", "wrong",
                                            mock_server_get_root_url (mock));

  g_assert_true (test_wait_until (is_disconnected, alice, WAIT_MS));
  g_assert_error (alice->disconnect, UCWA_ERROR, UCWA_ERROR_AUTHENTICATION);
  g_assert_false (alice->connected);
  g_assert_cmpuint (mock_server_count_applications (mock, "alice@example.test"), ==, 0);
}

static void
test_insecure_url (void)
{
  g_autoptr(Recorder) alice = recorder_new ("alice@example.test", "alice-password",
                                            "http://lync.example.test/autodiscover/root");
  GError *error = NULL;

  g_assert_true (test_wait_until (is_disconnected, alice, WAIT_MS));
  g_assert_error (alice->disconnect, UCWA_ERROR, UCWA_ERROR_INVALID_SETTINGS);

  g_assert_false (ucwa_check_server_url ("http://lync.example.test/", &error));
  g_assert_error (error, UCWA_ERROR, UCWA_ERROR_INVALID_SETTINGS);
  g_clear_error (&error);
  g_assert_true (ucwa_check_server_url ("https://lync.example.test/", &error));
  g_assert_true (ucwa_check_server_url ("http://127.0.0.1:1/", &error));
  g_assert_true (ucwa_check_server_url ("http://[::1]:1/", &error));
  g_assert_true (ucwa_check_server_url ("", &error));
  g_assert_no_error (error);
}

static void
test_shutdown_deletes_application (void)
{
  g_autoptr(MockServer) mock = start_mock ();
  Recorder *alice = sign_in (mock, "alice@example.test", "alice-password");

  g_assert_cmpuint (mock_server_count_applications (mock, "alice@example.test"), ==, 1);
  recorder_free (alice);
  g_assert_true (test_wait_until (alice_has_no_application, mock, WAIT_MS));
  g_assert_cmpuint (mock_server_count_requests (mock, "DELETE", "*"), >=, 1);
}

int
main (int argc, char **argv)
{
  recorder_test_init (&argc, &argv);

  g_test_add_func ("/core/sign-in-and-contacts", test_sign_in_and_contacts);
  g_test_add_func ("/core/event-channel-and-keepalive", test_event_channel_and_keepalive);
  g_test_add_func ("/core/echo-round-trip", test_echo_round_trip);
  g_test_add_func ("/core/repeated-first-message-dropped", test_repeated_first_message_dropped);
  g_test_add_func ("/core/queued-in-order", test_queued_in_order);
  g_test_add_func ("/core/incoming-injected", test_incoming_injected);
  g_test_add_func ("/core/two-users-and-typing", test_two_users_and_typing);
  g_test_add_func ("/core/failed-sends", test_failed_sends);
  g_test_add_func ("/core/failed-invitation", test_failed_invitation);
  g_test_add_func ("/core/server-ends-conversation", test_server_ends_conversation);
  g_test_add_func ("/core/wrong-password", test_wrong_password);
  g_test_add_func ("/core/insecure-url", test_insecure_url);
  g_test_add_func ("/core/shutdown-deletes-application", test_shutdown_deletes_application);
  return g_test_run ();
}
