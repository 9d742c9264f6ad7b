/* test-purple.c: the plugin inside a real (headless) libpurple, against the
 * real mock server over HTTP.  Every test signs alice in afresh against a
 * fresh mock. */
#include <string.h>

#include "mock-control.h"
#include "purple-harness.h"
#include "test-wait.h"

#define ALICE "alice@example.test"
#define ALICE_PASSWORD "alice-password"
#define BOB "bob@example.test"
#define CAROL "carol@example.test"
#define ECHO "echo@example.test"

/* How long to wait for something that takes milliseconds when it works. */
#define WAIT_MS 20000

typedef struct {
  MockServer *mock;
  PurpleAccount *account;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer unused)
{
  f->mock = mock_server_start ();
}

/* Signs out first and waits for the application's deletion to reach the
 * mock, so that nothing is left in flight when the mock goes away. */
static gboolean
alice_has_no_application (gconstpointer data)
{
  return mock_server_count_applications ((MockServer *) data, ALICE) == 0;
}

static void
fixture_tear_down (Fixture *f, gconstpointer unused)
{
  gboolean was_connected = harness_is_signed_on (NULL);

  harness_account_remove ();
  if (was_connected)
    test_wait_until (alice_has_no_application, f->mock, WAIT_MS);
  g_clear_pointer (&f->mock, mock_server_stop);
}

static void
sign_in_alice (Fixture *f)
{
  f->account = harness_account_new (ALICE, ALICE_PASSWORD,
                                    mock_server_get_root_url (f->mock));
  if (!test_wait_until (harness_is_signed_on, NULL, WAIT_MS))
    g_error ("alice did not sign in (%u connection errors, last: %s)",
             harness.connection_errors,
             harness.error_text ? harness.error_text : "none");
}

/* Waits for the nth received IM (0-based) and returns it. */
static const HarnessMessage *
wait_for_received (guint index)
{
  guint count = index + 1;

  if (!test_wait_until (harness_has_received, &count, WAIT_MS))
    g_error ("timed out waiting for received IM #%u (have %u)", count,
             harness.received->len);
  return harness_received (index);
}

/* The text the user would read: markup stripped, entities decoded. */
static char *
plain_text_of (const char *markup)
{
  return purple_markup_strip_html (markup);
}

/* ---- sign-in ---- */

static void
test_sign_in (Fixture *f, gconstpointer unused)
{
  PurpleConnection *gc;

  sign_in_alice (f);
  gc = purple_account_get_connection (f->account);
  g_assert_nonnull (gc);
  g_assert_cmpint (purple_connection_get_state (gc), ==, PURPLE_CONNECTED);
  g_assert_cmpuint (harness.signed_on, ==, 1);
  g_assert_cmpuint (harness.connection_errors, ==, 0);
  g_assert_cmpuint (mock_server_count_applications (f->mock, ALICE), >, 0);

  /* The endpoint id is kept for the next sign-in. */
  g_assert_true (g_uuid_string_is_valid (
      purple_account_get_string (f->account, "endpoint-id", "")));

  /* No debug line may carry the password. */
  g_assert_false (harness_debug_contains (ALICE_PASSWORD));
}

/* ---- messages ---- */

static void
test_echo_exact_text (Fixture *f, gconstpointer unused)
{
  const char *typed = "héllo <b>&amp; 🎉";
  const HarnessMessage *reply;
  g_autofree char *plain = NULL;

  sign_in_alice (f);
  harness_send_typed (ECHO, typed);
  reply = wait_for_received (0);

  g_assert_cmpstr (reply->who, ==, ECHO);
  g_assert_true (reply->flags & PURPLE_MESSAGE_RECV);
  /* The markup purple displays: the text escaped once. */
  g_assert_cmpstr (reply->message, ==,
                   "echo: héllo &lt;b&gt;&amp;amp; 🎉");
  /* What the user reads is exactly what was typed. */
  plain = plain_text_of (reply->message);
  g_assert_cmpstr (plain, ==, "echo: héllo <b>&amp; 🎉");

  /* purple showed the sent message too, as sent. */
  g_assert_nonnull (harness_find_written (PURPLE_MESSAGE_SEND,
                                          "héllo &lt;b&gt;&amp;amp;"));
}

/* Pidgin sends GtkIMHtml markup: tags, <br> for new lines, entities. */
static void
test_pidgin_markup (Fixture *f, gconstpointer unused)
{
  PurpleConversation *conv;

  sign_in_alice (f);
  conv = purple_conversation_new (PURPLE_CONV_TYPE_IM, f->account, ECHO);
  purple_conv_im_send (PURPLE_CONV_IM (conv),
                       "<FONT COLOR=\"#ff0000\"><B>bold</B></FONT> one<br>"
                       "two &lt;x&gt; &amp;amp; &quot;q&quot; &#233;");
  g_assert_cmpstr (wait_for_received (0)->message, ==,
                   "echo: bold one<br>two &lt;x&gt; &amp;amp; &quot;q&quot; é");
}

static void
test_incoming_from_bob (Fixture *f, gconstpointer unused)
{
  const char *text = "hi alice, 1 < 2 && \"quotes\"\nsecond line";
  g_autofree char *body = NULL;
  const HarnessMessage *im;
  g_autofree char *plain = NULL;

  sign_in_alice (f);
  body = mock_json_object ("from", BOB, "to", ALICE, "text", text, NULL);
  g_assert_cmpuint (mock_server_post (f->mock, "/mock/v1/send-im", body), ==,
                    200);
  im = wait_for_received (0);

  g_assert_cmpstr (im->who, ==, BOB);
  g_assert_cmpstr (im->message, ==,
                   "hi alice, 1 &lt; 2 &amp;&amp; &quot;quotes&quot;<br>"
                   "second line");
  plain = plain_text_of (im->message);
  g_assert_cmpstr (plain, ==, text);
  g_assert_nonnull (purple_find_conversation_with_account (
      PURPLE_CONV_TYPE_IM, BOB, f->account));
}

static void
test_burst_in_order (Fixture *f, gconstpointer unused)
{
  const guint count = 5;

  sign_in_alice (f);
  /* All sent at once, before the conversation can have connected. */
  for (guint i = 0; i < count; i++)
    {
      g_autofree char *text = g_strdup_printf ("burst %u", i + 1);

      harness_send_typed (ECHO, text);
    }
  wait_for_received (count - 1);
  for (guint i = 0; i < count; i++)
    {
      g_autofree char *expected = g_strdup_printf ("echo: burst %u", i + 1);

      g_assert_cmpstr (harness_received (i)->who, ==, ECHO);
      g_assert_cmpstr (harness_received (i)->message, ==, expected);
    }
  /* One conversation carried them all. */
  g_assert_cmpuint (mock_server_count_requests (f->mock, "POST",
                                                "*/communication/messagingInvitations"), ==, 1);
}

/* ---- connection errors ---- */

static void
test_wrong_password (Fixture *f, gconstpointer unused)
{
  f->account = harness_account_new (ALICE, "not-the-password",
                                    mock_server_get_root_url (f->mock));
  g_assert_true (test_wait_until (harness_has_connection_error, NULL, WAIT_MS));
  g_assert_cmpint (harness.error_reason, ==,
                   PURPLE_CONNECTION_ERROR_AUTHENTICATION_FAILED);
  /* Fatal: Pidgin and Finch do not reconnect after it. */
  g_assert_true (purple_connection_error_is_fatal (harness.error_reason));
  g_assert_cmpuint (harness.signed_on, ==, 0);
  harness_iterate_pending ();
  g_assert_true (purple_account_is_disconnected (f->account));
  g_assert_cmpuint (mock_server_count_applications (f->mock, ALICE), ==, 0);
  /* One refused grant, not a retry loop that could lock the account. */
  g_assert_cmpuint (mock_server_count_requests (f->mock, "POST",
                                                "*/oauthtoken"), ==, 1);
  g_assert_false (harness_debug_contains ("not-the-password"));
}

static void
test_insecure_url (Fixture *f, gconstpointer unused)
{
  guint requests_before = mock_server_count_requests (f->mock, NULL, "*");

  f->account = harness_account_new (
      ALICE, ALICE_PASSWORD,
      "http://example.test/autodiscover/autodiscoverservice.svc/root");
  /* Refused inside login itself: no main-loop turn, so no network. */
  g_assert_cmpuint (harness.connection_errors, ==, 1);
  g_assert_cmpint (harness.error_reason, ==,
                   PURPLE_CONNECTION_ERROR_INVALID_SETTINGS);
  g_assert_true (purple_connection_error_is_fatal (harness.error_reason));
  g_assert_nonnull (harness.error_text);
  g_assert_cmpstr (harness.error_text, !=, "");
  harness_iterate_pending ();
  g_assert_cmpuint (harness.signed_on, ==, 0);
  g_assert_cmpuint (mock_server_count_requests (f->mock, NULL, "*"), ==,
                    requests_before);
}

static void
test_username_without_domain (Fixture *f, gconstpointer unused)
{
  f->account = harness_account_new ("alice", ALICE_PASSWORD,
                                    mock_server_get_root_url (f->mock));
  g_assert_cmpuint (harness.connection_errors, ==, 1);
  g_assert_cmpint (harness.error_reason, ==,
                   PURPLE_CONNECTION_ERROR_INVALID_SETTINGS);
}

static void
test_server_gone (Fixture *f, gconstpointer unused)
{
  /* The URL of a mock that has just exited: its port is closed now. */
  mock_server_kill (f->mock);
  f->account = harness_account_new (ALICE, ALICE_PASSWORD,
                                    mock_server_get_root_url (f->mock));
  g_assert_true (test_wait_until (harness_has_connection_error, NULL, WAIT_MS));
  g_assert_cmpint (harness.error_reason, ==,
                   PURPLE_CONNECTION_ERROR_NETWORK_ERROR);
  /* Not fatal: the UI reconnects. */
  g_assert_false (purple_connection_error_is_fatal (harness.error_reason));
  g_assert_cmpuint (harness.signed_on, ==, 0);
}

/* ---- failed sends ---- */

static gboolean
has_error_line (gconstpointer needle)
{
  return harness_find_written (PURPLE_MESSAGE_ERROR, needle) != NULL;
}

static void
test_failed_send (Fixture *f, gconstpointer data)
{
  const char *mode = data;
  const char *lost = "this one is lost <i>&";
  g_autofree char *fail = NULL;
  const HarnessMessage *line;
  g_autofree char *plain = NULL;

  sign_in_alice (f);
  /* A conversation that works first, so that only sendMessage fails. */
  harness_send_typed (ECHO, "before");
  g_assert_cmpstr (wait_for_received (0)->message, ==, "echo: before");

  fail = mock_json_object ("operation", "sendMessage", "mode", mode, NULL);
  g_assert_cmpuint (mock_server_post (f->mock, "/mock/v1/fail-next", fail),
                    ==, 200);
  harness_send_typed (ECHO, lost);

  g_assert_true (test_wait_until (has_error_line, "this one is lost", WAIT_MS));
  line = harness_find_written (PURPLE_MESSAGE_ERROR, "this one is lost");
  g_assert_nonnull (line);
  /* The undelivered text is quoted, escaped for display. */
  g_assert_nonnull (strstr (line->message, "this one is lost &lt;i&gt;&amp;"));
  plain = plain_text_of (line->message);
  g_assert_nonnull (strstr (plain, lost));
  g_assert_nonnull (strstr (plain, ECHO));
  /* The echo of the lost message never came. */
  g_assert_cmpuint (harness.received->len, ==, 1);
}

/* A failure with no conversation window open yet opens one to say so. */
static void
test_failed_start_without_window (Fixture *f, gconstpointer unused)
{
  g_autofree char *fail = NULL;
  PurpleConversation *conv;
  const HarnessMessage *line;

  sign_in_alice (f);
  fail = mock_json_object ("operation", "startMessaging", "mode", "http", NULL);
  g_assert_cmpuint (mock_server_post (f->mock, "/mock/v1/fail-next", fail),
                    ==, 200);
  g_assert_null (purple_find_conversation_with_account (PURPLE_CONV_TYPE_IM,
                                                        ECHO, f->account));
  /* Straight to the protocol, as a plugin or a pounce would. */
  g_assert_cmpint (serv_send_im (purple_account_get_connection (f->account),
                                 ECHO, "never started", 0), ==, 1);

  g_assert_true (test_wait_until (has_error_line, "never started", WAIT_MS));
  conv = purple_find_conversation_with_account (PURPLE_CONV_TYPE_IM, ECHO,
                                                f->account);
  g_assert_nonnull (conv);
  line = harness_find_written (PURPLE_MESSAGE_ERROR, "never started");
  g_assert_nonnull (strstr (line->message, ECHO));
  g_assert_cmpuint (harness.received->len, ==, 0);
}

/* ---- the core's GLib log in purple's debug log ---- */

static void
test_core_log_in_debug (Fixture *f, gconstpointer unused)
{
  sign_in_alice (f);
  /* The core logs every autodiscovery request in its domain "ucwa". */
  g_assert_true (harness_debug_contains ("ucwa: ucwa: autodiscovery: GET"));
  g_assert_false (harness_debug_contains (ALICE_PASSWORD));
}

/* ---- conversations ended by the server ---- */

static void
test_end_conversation_then_send (Fixture *f, gconstpointer unused)
{
  g_autofree char *end = NULL;

  sign_in_alice (f);
  harness_send_typed (ECHO, "first conversation");
  g_assert_cmpstr (wait_for_received (0)->message, ==,
                   "echo: first conversation");
  g_assert_cmpuint (mock_server_count_requests (f->mock, "POST",
                                                "*/communication/messagingInvitations"), ==, 1);

  end = mock_json_object ("user", ALICE, "peer", ECHO, NULL);
  g_assert_cmpuint (mock_server_post (f->mock, "/mock/v1/end-conversation",
                                      end), ==, 200);
  /* The plugin notes the end once the core has seen it. */
  g_assert_true (test_wait_until (harness_debug_contains,
                                  "conversation with " ECHO " ended",
                                  WAIT_MS));

  harness_send_typed (ECHO, "second conversation");
  g_assert_cmpstr (wait_for_received (1)->message, ==,
                   "echo: second conversation");
  g_assert_cmpuint (mock_server_count_requests (f->mock, "POST",
                                                "*/communication/messagingInvitations"), ==, 2);
  g_assert_null (harness_find_written (PURPLE_MESSAGE_ERROR, ""));
}

/* ---- typing ---- */

static gboolean
typing_request_logged (gconstpointer data)
{
  return mock_server_count_requests ((MockServer *) data, "POST",
                                     "*/messaging/typing") > 0;
}

typedef struct {
  const char *peer;
  PurpleTypingState state;
} TypingWanted;

static gboolean
has_typing_state (gconstpointer data)
{
  const TypingWanted *wanted = data;
  PurpleConversation *conv = purple_find_conversation_with_account (
      PURPLE_CONV_TYPE_IM, wanted->peer, harness.account);

  return conv != NULL
         && purple_conv_im_get_typing_state (PURPLE_CONV_IM (conv))
                == wanted->state;
}

static void
test_typing_both_ways (Fixture *f, gconstpointer unused)
{
  g_autofree char *start = NULL;
  g_autofree char *stop = NULL;
  TypingWanted typing = { ECHO, PURPLE_TYPING };
  TypingWanted stopped = { ECHO, PURPLE_NOT_TYPING };

  sign_in_alice (f);
  harness_send_typed (ECHO, "are you there?");
  g_assert_cmpstr (wait_for_received (0)->message, ==, "echo: are you there?");

  /* Ours, as the UI reports it. */
  g_assert_false (typing_request_logged (f->mock));
  /* A repeat interval: purple sends PURPLE_TYPING again while typing goes
   * on, which keeps the server's short typing timer running. */
  g_assert_cmpuint (serv_send_typing (purple_account_get_connection (f->account), ECHO,
                                      PURPLE_TYPING), >, 0);
  g_assert_true (test_wait_until (typing_request_logged, f->mock, WAIT_MS));

  /* Theirs. */
  g_assert_true (has_typing_state (&stopped));
  start = mock_json_object ("from", ECHO, "to", ALICE, "typing", "true", NULL);
  g_assert_cmpuint (mock_server_post (f->mock, "/mock/v1/typing", start), ==,
                    200);
  g_assert_true (test_wait_until (has_typing_state, &typing, WAIT_MS));

  stop = mock_json_object ("from", ECHO, "to", ALICE, "typing", "false", NULL);
  g_assert_cmpuint (mock_server_post (f->mock, "/mock/v1/typing", stop), ==,
                    200);
  g_assert_true (test_wait_until (has_typing_state, &stopped, WAIT_MS));
}

/* ---- contacts ---- */

static gboolean
has_contacts (gconstpointer unused)
{
  return purple_find_buddy (harness.account, BOB) != NULL
         && purple_find_buddy (harness.account, CAROL) != NULL
         && purple_find_buddy (harness.account, ECHO) != NULL;
}

static gboolean
echo_is_online (gconstpointer unused)
{
  PurpleBuddy *echo = purple_find_buddy (harness.account, ECHO);

  return echo != NULL
         && purple_presence_is_online (purple_buddy_get_presence (echo));
}

static void
test_contacts (Fixture *f, gconstpointer unused)
{
  PurpleBuddy *echo;

  sign_in_alice (f);
  g_assert_true (test_wait_until (has_contacts, NULL, WAIT_MS));
  echo = purple_find_buddy (f->account, ECHO);
  g_assert_cmpstr (purple_group_get_name (purple_buddy_get_group (echo)), ==,
                   "Contacts");
  g_assert_true (test_wait_until (echo_is_online, NULL, WAIT_MS));
  g_assert_cmpstr (purple_status_get_id (purple_presence_get_active_status (
                       purple_buddy_get_presence (echo))), ==, "available");
  /* Nobody else: alice herself is not her own contact. */
  g_assert_null (purple_find_buddy (f->account, ALICE));
}

/* ---- signing out ---- */

static void
test_sign_out_deletes_application (Fixture *f, gconstpointer unused)
{
  sign_in_alice (f);
  g_assert_cmpuint (mock_server_count_applications (f->mock, ALICE), >, 0);

  purple_account_set_enabled (f->account, HARNESS_UI_ID, FALSE);
  g_assert_true (purple_account_is_disconnected (f->account));
  g_assert_true (test_wait_until (alice_has_no_application, f->mock, WAIT_MS));
  g_assert_cmpuint (mock_server_count_requests (f->mock, "DELETE",
                                                "*/applications/*"), >=, 1);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  /* --mock-arg=X (repeatable): an extra argument for every mock started. */
  {
    g_autoptr (GString) mock_args = g_string_new (g_getenv ("UCWA_MOCK_ARGS"));

    for (int i = 1; i < argc; i++)
      if (g_str_has_prefix (argv[i], "--mock-arg="))
        g_string_append_printf (mock_args, " %s",
                                argv[i] + strlen ("--mock-arg="));
    g_setenv ("UCWA_MOCK_ARGS", mock_args->str, TRUE);
  }
  harness_init ();

#define ADD(name, func, data) \
  g_test_add ("/purple/" name, Fixture, data, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("sign-in", test_sign_in, NULL);
  ADD ("im/echo-exact-text", test_echo_exact_text, NULL);
  ADD ("im/pidgin-markup", test_pidgin_markup, NULL);
  ADD ("im/incoming-from-bob", test_incoming_from_bob, NULL);
  ADD ("im/burst-in-order", test_burst_in_order, NULL);
  ADD ("im/failed-send-event", test_failed_send, "event");
  ADD ("im/failed-send-http", test_failed_send, "http");
  ADD ("im/failed-start-without-window", test_failed_start_without_window,
       NULL);
  ADD ("im/end-conversation-then-send", test_end_conversation_then_send, NULL);
  ADD ("im/typing-both-ways", test_typing_both_ways, NULL);
  ADD ("error/wrong-password", test_wrong_password, NULL);
  ADD ("error/insecure-url", test_insecure_url, NULL);
  ADD ("error/username-without-domain", test_username_without_domain, NULL);
  ADD ("error/server-gone", test_server_gone, NULL);
  ADD ("contacts", test_contacts, NULL);
  ADD ("core-log-in-debug", test_core_log_in_debug, NULL);
  ADD ("sign-out-deletes-application", test_sign_out_deletes_application,
       NULL);
#undef ADD

  status = g_test_run ();
  harness_shutdown ();
  return status;
}
