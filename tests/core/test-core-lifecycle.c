/* test-core-lifecycle.c: the core while it stops, fails or loses a
 * conversation, against the real mock server.
 *
 * What must hold: no callback after shutdown; every text the user typed is
 * reported delivered or failed, in order, even when the client fails; a
 * listener may end the client from any callback; and a conversation the
 * server forgot is replaced without losing or reordering a text.
 */
#include <gio/gio.h>
#include <string.h>

#include "recorder.h"
#include "test-wait.h"
#include "ucwa-client-private.h"

#define ECHO "echo@example.test"

static void
test_shutdown_with_texts_pending (void)
{
  g_autoptr(MockServer) mock = start_mock ();
  g_autoptr(Recorder) alice = sign_in (mock, "alice@example.test", "alice-password");
  guint recorded;

  /* An invitation in flight and a text queued behind it... */
  ucwa_client_send_im (alice->client, ECHO, "pending");
  ucwa_client_send_im (alice->client, ECHO, "queued");
  /* ...and the user signs out: from then on the listener hears nothing. */
  recorded = alice->log->len;
  ucwa_client_shutdown (g_steal_pointer (&alice->client));
  g_assert_true (test_wait_until (alice_has_no_application, mock, WAIT_MS));
  test_run_for (300);
  g_assert_cmpuint (alice->log->len, ==, recorded);
}

/* Makes the client fail as a lost connection would, with @texts typed
 * just before. */
static void
fail_with_texts (Recorder          *alice,
                 const char *const *texts)
{
  g_autoptr(GError) lost = g_error_new (UCWA_ERROR, UCWA_ERROR_NETWORK, "connection lost");
  gint last = -1;

  for (guint i = 0; texts[i] != NULL; i++)
    ucwa_client_send_im (alice->client, ECHO, texts[i]);
  ucwa_client_fail (alice->client, lost);

  /* At once, in the order typed, and before the disconnection. */
  for (guint i = 0; texts[i] != NULL; i++)
    {
      gint at = index_of (alice, "failed", ECHO, texts[i]);

      g_assert_cmpint (at, >, last);
      last = at;
    }
  g_assert_cmpint (index_of (alice, "disconnected", "", "connection lost"), >, last);
  g_assert_cmpint (index_of (alice, "disconnected", "", "connection lost"), ==,
                   (gint) alice->log->len - 1);
}

static void
test_failure_reports_every_text (void)
{
  g_autoptr(MockServer) mock = start_mock ();
  const char *in_invitation[] = { "in the invitation", "queued", NULL };
  const char *in_messaging[] = { "in flight", "queued too", NULL };

  {
    /* Before the conversation exists: the invitation and the queue. */
    g_autoptr(Recorder) alice = sign_in (mock, "alice@example.test", "alice-password");

    fail_with_texts (alice, in_invitation);
  }
  {
    /* Connected: one sendMessage in flight, one waiting for it. */
    g_autoptr(Recorder) alice = sign_in (mock, "alice@example.test", "alice-password");

    ucwa_client_send_im (alice->client, ECHO, "warm up");
    expect (alice, "received", ECHO, "echo: warm up");
    fail_with_texts (alice, in_messaging);
    test_run_for (300);
    g_assert_cmpuint (count_lines (alice, "sent|" ECHO "|in flight"), ==, 0);
  }
}

/* Front ends that react from inside a callback. */
static void
on_failed_then_close (UcwaClient *client, const char *peer, const char *text,
                      const GError *error, gpointer user_data)
{
  record (user_data, "failed", peer, text);
  ucwa_client_close_conversation (client, peer);
}

static void
on_failed_then_sign_out (UcwaClient *client, const char *peer, const char *text,
                         const GError *error, gpointer user_data)
{
  Recorder *recorder = user_data;

  record (recorder, "failed", peer, text);
  if (recorder->client != NULL)
    ucwa_client_shutdown (g_steal_pointer (&recorder->client));
}

static void
on_ended_then_sign_out (UcwaClient *client, const char *peer, gpointer user_data)
{
  Recorder *recorder = user_data;

  record (recorder, "ended", peer, NULL);
  ucwa_client_shutdown (g_steal_pointer (&recorder->client));
}

static void
set_listener (Recorder                *recorder,
              const UcwaListener      *listener)
{
  recorder->client->listener = *listener;
}

static void
test_listener_closes_from_a_failure (void)
{
  g_autoptr(MockServer) mock = start_mock ();
  g_autoptr(Recorder) alice = sign_in (mock, "alice@example.test", "alice-password");
  static UcwaListener listener;

  listener = recorder_listener;
  listener.im_failed = on_failed_then_close;
  set_listener (alice, &listener);

  /* The invitation fails; closing the window from the first report must
   * not lose the second. */
  ucwa_client_send_im (alice->client, "nobody@example.test", "first");
  ucwa_client_send_im (alice->client, "nobody@example.test", "second");
  expect (alice, "failed", "nobody@example.test", "first");
  expect (alice, "failed", "nobody@example.test", "second");

  /* And while the client fails. */
  {
    g_autoptr(GError) lost = g_error_new (UCWA_ERROR, UCWA_ERROR_NETWORK, "connection lost");

    ucwa_client_send_im (alice->client, ECHO, "third");
    ucwa_client_send_im (alice->client, ECHO, "fourth");
    ucwa_client_fail (alice->client, lost);
    g_assert_cmpint (index_of (alice, "failed", ECHO, "third"), <,
                     index_of (alice, "failed", ECHO, "fourth"));
    g_assert_cmpint (index_of (alice, "failed", ECHO, "third"), >=, 0);
    g_assert_cmpint (index_of (alice, "disconnected", "", "connection lost"), >, 0);
  }
}

static void
test_listener_signs_out_while_failing (void)
{
  g_autoptr(MockServer) mock = start_mock ();
  g_autoptr(Recorder) alice = sign_in (mock, "alice@example.test", "alice-password");
  g_autoptr(GError) lost = g_error_new (UCWA_ERROR, UCWA_ERROR_NETWORK, "connection lost");
  static UcwaListener listener;

  listener = recorder_listener;
  listener.im_failed = on_failed_then_sign_out;
  set_listener (alice, &listener);

  ucwa_client_send_im (alice->client, ECHO, "one");
  ucwa_client_send_im (alice->client, ECHO, "two");
  ucwa_client_fail (alice->client, lost);

  /* Signed out at the first report: nothing more is heard, and the
   * application is still deleted on the server. */
  g_assert_cmpuint (count_lines (alice, "failed|" ECHO "|one"), ==, 1);
  g_assert_cmpuint (count_lines (alice, "failed|" ECHO "|two"), ==, 0);
  g_assert_cmpint (index_of (alice, "disconnected", "", "connection lost"), ==, -1);
  g_assert_true (test_wait_until (alice_has_no_application, mock, WAIT_MS));
}

static void
test_listener_signs_out_on_resume (void)
{
  g_autoptr(MockServer) mock = start_mock ();
  g_autoptr(Recorder) alice = sign_in (mock, "alice@example.test", "alice-password");
  static UcwaListener listener;

  listener = recorder_listener;
  listener.conversation_ended = on_ended_then_sign_out;
  set_listener (alice, &listener);

  ucwa_client_send_im (alice->client, ECHO, "hello");
  expect (alice, "received", ECHO, "echo: hello");
  g_assert_cmpuint (mock_server_post (mock, "/mock/v1/resume",
                                      "{\"user\":\"alice@example.test\"}"), ==, 200);
  expect (alice, "ended", ECHO, NULL);
  g_assert_null (alice->client);
  g_assert_true (test_wait_until (alice_has_no_application, mock, WAIT_MS));
}

/* A front end that signs out as soon as an IM arrives. */
static void
on_im_then_sign_out (UcwaClient *client, const char *peer, const char *name,
                     const char *text, gint64 timestamp, gpointer user_data)
{
  Recorder *recorder = user_data;

  record (recorder, "received", peer, text);
  ucwa_client_shutdown (g_steal_pointer (&recorder->client));
}

static void
test_listener_signs_out_mid_answer (void)
{
  g_autoptr(MockServer) mock = start_mock ();
  g_autoptr(Recorder) alice = sign_in (mock, "alice@example.test", "alice-password");
  static UcwaListener listener;

  listener = recorder_listener;
  listener.im_received = on_im_then_sign_out;
  set_listener (alice, &listener);

  /* The invitation's message comes in the same answer as the rest of the
   * conversation's events, which must find the client gone, not crash. */
  g_assert_cmpuint (mock_server_post (mock, "/mock/v1/send-im",
                                      "{\"from\":\"bob@example.test\",\"to\":\"alice@example.test\","
                                      "\"text\":\"bye\"}"), ==, 200);
  expect (alice, "received", "bob@example.test", "bye");
  g_assert_null (alice->client);
  g_assert_true (test_wait_until (alice_has_no_application, mock, WAIT_MS));
}

static void
test_conversation_gone_under_a_send (void)
{
  g_autoptr(MockServer) mock = start_mock ();
  g_autoptr(Recorder) alice = sign_in (mock, "alice@example.test", "alice-password");
  const char *texts[] = { "two", "three", "four" };
  gint last = -1;

  ucwa_client_send_im (alice->client, ECHO, "one");
  expect (alice, "received", ECHO, "echo: one");

  /* The server forgot the conversation: "two" gets a 404, and it and the
   * texts behind it go out in a new conversation, in order. */
  g_assert_cmpuint (mock_server_post (mock, "/mock/v1/fail-next",
                                      "{\"operation\":\"sendMessage\",\"mode\":\"gone\"}"), ==, 200);
  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    ucwa_client_send_im (alice->client, ECHO, texts[i]);
  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *reply = g_strconcat ("echo: ", texts[i], NULL);
      gint at;

      expect (alice, "received", ECHO, reply);
      expect (alice, "sent", ECHO, texts[i]);
      at = index_of (alice, "received", ECHO, reply);
      g_assert_cmpint (at, >, last);
      last = at;
      g_assert_cmpuint (count_lines (alice, reply), <=, 1);
    }
  g_assert_cmpint (index_of (alice, "failed", ECHO, "two"), ==, -1);
  g_assert_cmpuint (mock_server_count_requests (mock, "POST", "*/messagingInvitations"), ==, 2);
}

static gboolean
messaging_stopped (gconstpointer mock)
{
  return mock_server_count_requests ((MockServer *) mock, "POST", "*/messaging/terminate") == 1;
}

static void
test_user_closes_conversation (void)
{
  g_autoptr(MockServer) mock = start_mock ();
  g_autoptr(Recorder) alice = sign_in (mock, "alice@example.test", "alice-password");

  ucwa_client_send_im (alice->client, ECHO, "hello");
  expect (alice, "received", ECHO, "echo: hello");
  expect (alice, "sent", ECHO, "hello");

  /* Closing the window ends the conversation on the server... */
  ucwa_client_close_conversation (alice->client, ECHO);
  g_assert_true (test_wait_until (messaging_stopped, mock, WAIT_MS));

  /* ...and the next text starts a new one. */
  ucwa_client_send_im (alice->client, ECHO, "again");
  expect (alice, "received", ECHO, "echo: again");
  g_assert_cmpuint (mock_server_count_requests (mock, "POST", "*/messagingInvitations"), ==, 2);
}

static void
test_resume_after_a_gap (void)
{
  g_autoptr(MockServer) mock = start_mock ();
  g_autoptr(Recorder) alice = sign_in (mock, "alice@example.test", "alice-password");

  ucwa_client_send_im (alice->client, ECHO, "before the gap");
  expect (alice, "received", ECHO, "echo: before the gap");
  expect (alice, "presence", ECHO, "Online");
  g_assert_cmpuint (mock_server_count_requests (mock, "GET", "*/people/contacts"), ==, 1);

  /* The server dropped the conversation and says `resume`: the client
   * forgets it, reads its contacts again, and the next text goes out in a
   * new conversation. */
  g_assert_cmpuint (mock_server_post (mock, "/mock/v1/resume",
                                      "{\"user\":\"alice@example.test\"}"), ==, 200);
  expect (alice, "ended", ECHO, NULL);
  expect_n (alice, 2, "presence", ECHO, "Online");
  g_assert_cmpuint (mock_server_count_requests (mock, "GET", "*/people/contacts"), ==, 2);

  ucwa_client_send_im (alice->client, ECHO, "after the gap");
  expect (alice, "received", ECHO, "echo: after the gap");
  g_assert_cmpuint (mock_server_count_requests (mock, "POST", "*/messagingInvitations"), ==, 2);
  g_assert_null (alice->disconnect);
}

static void
test_server_drops_the_application (void)
{
  g_autoptr(MockServer) mock = start_mock ();
  g_autoptr(Recorder) alice = sign_in (mock, "alice@example.test", "alice-password");

  /* The parked P-GET gets 404 ApplicationNotFound: the client is down, with
   * an error a front end reconnects on (signing in makes a new one). */
  g_assert_cmpuint (mock_server_post (mock, "/mock/v1/drop-applications",
                                      "{\"user\":\"alice@example.test\"}"), ==, 200);
  g_assert_true (test_wait_until (is_disconnected, alice, WAIT_MS));
  g_assert_error (alice->disconnect, UCWA_ERROR, UCWA_ERROR_NETWORK);
  g_assert_nonnull (strstr (alice->disconnect->message, "ended the session"));
}

/* The root URL of a loopback port that takes connections but never
 * answers (@listening FALSE: of a port nobody listens on any more). */
static char *
loopback_root_url (GSocketListener *listener,
                   gboolean         listening)
{
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  if (!listening)
    g_socket_listener_close (listener);
  return g_strdup_printf ("http://127.0.0.1:%u/autodiscover/autodiscoverservice.svc/root", port);
}

static void
test_server_gone (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autofree char *url = loopback_root_url (listener, FALSE);
  g_autoptr(Recorder) alice = recorder_new ("alice@example.test", "alice-password", url);

  g_assert_true (test_wait_until (is_disconnected, alice, WAIT_MS));
  g_assert_error (alice->disconnect, UCWA_ERROR, UCWA_ERROR_NETWORK);
}

static void
test_silent_server_times_out (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autofree char *url = loopback_root_url (listener, TRUE);
  g_autoptr(Recorder) alice = recorder_new_full ("alice@example.test", "alice-password",
                                                 url, 0, 1);

  /* Connections are taken (the kernel's backlog) but never answered. */
  g_assert_true (test_wait_until (is_disconnected, alice, WAIT_MS));
  g_assert_error (alice->disconnect, UCWA_ERROR, UCWA_ERROR_NETWORK);
  g_assert_nonnull (strstr (alice->disconnect->message, "did not answer"));
}

static void
test_wrong_discovery_url (void)
{
  g_autoptr(MockServer) mock = start_mock ();
  g_autofree char *url = g_strconcat (mock_server_get_base_url (mock), "no/such/root", NULL);
  g_autoptr(Recorder) alice = recorder_new ("alice@example.test", "alice-password", url);

  /* A server that answers, but not as a UCWA root: the setting is wrong,
   * and the message says which URL. */
  g_assert_true (test_wait_until (is_disconnected, alice, WAIT_MS));
  g_assert_error (alice->disconnect, UCWA_ERROR, UCWA_ERROR_INVALID_SETTINGS);
  g_assert_nonnull (strstr (alice->disconnect->message, url));
}

int
main (int argc, char **argv)
{
  recorder_test_init (&argc, &argv);

  g_test_add_func ("/lifecycle/shutdown-with-texts-pending", test_shutdown_with_texts_pending);
  g_test_add_func ("/lifecycle/failure-reports-every-text", test_failure_reports_every_text);
  g_test_add_func ("/lifecycle/listener-signs-out-mid-answer", test_listener_signs_out_mid_answer);
  g_test_add_func ("/lifecycle/listener-closes-from-a-failure", test_listener_closes_from_a_failure);
  g_test_add_func ("/lifecycle/listener-signs-out-while-failing",
                   test_listener_signs_out_while_failing);
  g_test_add_func ("/lifecycle/listener-signs-out-on-resume", test_listener_signs_out_on_resume);
  g_test_add_func ("/lifecycle/conversation-gone-under-a-send", test_conversation_gone_under_a_send);
  g_test_add_func ("/lifecycle/user-closes-conversation", test_user_closes_conversation);
  g_test_add_func ("/lifecycle/resume-after-a-gap", test_resume_after_a_gap);
  g_test_add_func ("/lifecycle/server-drops-the-application", test_server_drops_the_application);
  g_test_add_func ("/lifecycle/server-gone", test_server_gone);
  g_test_add_func ("/lifecycle/silent-server-times-out", test_silent_server_times_out);
  g_test_add_func ("/lifecycle/wrong-discovery-url", test_wrong_discovery_url);
  return g_test_run ();
}
