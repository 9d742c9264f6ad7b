/* test-mock-server.c: the mock server's own checks, over real HTTP.
 *
 * Starts ucwa-mock-server (path in MOCK_SERVER_EXE) and walks the flows the
 * rest of the suite relies on: discovery and OAuth, applications, the event
 * channel, the echo bot, send-im, PGetReplaced and --events-before-201.
 */
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

typedef struct {
  GSubprocess *process;
  char *base;                /* "http://127.0.0.1:PORT" */
} Mock;

typedef struct {
  char *base;
  char *token;
  char *app;                 /* application href */
  guint64 ack;
} Client;

/* A failed assertion aborts the test: the server must not outlive it. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static Mock *
mock_start (const char *const *extra)
{
  const char *exe = g_getenv ("MOCK_SERVER_EXE");
  g_assert_nonnull (exe);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (char *) exe);
  g_ptr_array_add (argv, (char *) "--port=0");
  g_ptr_array_add (argv, (char *) "--pget-timeout=1");
  for (; extra && *extra; extra++)
    g_ptr_array_add (argv, (char *) *extra);
  g_ptr_array_add (argv, NULL);
  g_autoptr (GError) error = NULL;
  Mock *mock = g_new0 (Mock, 1);
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  mock->process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_autoptr (GDataInputStream) out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (mock->process));
  g_autofree char *line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "ucwa-mock-server listening on http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (line, "/"));
  const char *url = line + strlen ("ucwa-mock-server listening on ");
  mock->base = g_strndup (url, strlen (url) - 1);
  return mock;
}

static void
mock_stop (Mock *mock)
{
  g_autoptr (GError) error = NULL;
  g_subprocess_send_signal (mock->process, SIGTERM);
  g_subprocess_wait_check (mock->process, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (mock->process);
  g_free (mock->base);
  g_free (mock);
}

/* One synchronous request on a session of its own (safe from any thread). */
static char *
http (const char *method, const char *url, const char *token, const char *type,
      const char *body, guint *status, SoupMessageHeaders **headers)
{
  g_autoptr (SoupSession) session = soup_session_new_with_options ("timeout", 30, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_assert_nonnull (msg);
  if (token)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, type, bytes);
    }
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  if (headers)
    *headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  gsize len = 0;
  const char *data = g_bytes_get_data (answer, &len);
  return g_strndup (data ? data : "", len);
}

static JsonObject *
parse (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static const char *
link_href (JsonObject *resource, const char *rel)
{
  JsonObject *links = json_object_get_object_member (resource, "_links");
  if (!links || !json_object_has_member (links, rel))
    return NULL;
  return json_object_get_string_member (json_object_get_object_member (links, rel), "href");
}

static char *
absolute (Client *c, const char *href)
{
  return g_str_has_prefix (href, "http") ? g_strdup (href) : g_strconcat (c->base, href, NULL);
}

static char *
data_uri_text (const char *uri)
{
  const char *comma = strchr (uri, ',');
  g_assert_nonnull (comma);
  g_autofree char *head = g_strndup (uri, comma - uri);
  if (g_str_has_suffix (head, ";base64"))
    {
      gsize len;
      g_autofree guchar *raw = g_base64_decode (comma + 1, &len);
      return g_strndup ((char *) raw, len);
    }
  g_autofree char *spaced = g_strdup (comma + 1);
  for (char *p = spaced; *p; p++)
    if (*p == '+')
      *p = ' ';
  return g_uri_unescape_string (spaced, NULL);
}

static Client *
sign_in (Mock *mock, const char *user)
{
  guint status;
  Client *c = g_new0 (Client, 1);
  c->base = g_strdup (mock->base);
  g_autofree char *form = g_strdup_printf ("grant_type=password&username=%s%%40example.test&password=%s-password",
                                           user, user);
  g_autofree char *token_url = g_strconcat (mock->base, "/WebTicket/oauthtoken", NULL);
  g_autofree char *token_body = http ("POST", token_url, NULL,
                                      "application/x-www-form-urlencoded;charset=UTF-8",
                                      form, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_autoptr (JsonObject) token = parse (token_body);
  c->token = g_strdup (json_object_get_string_member (token, "access_token"));
  g_assert_true (g_str_has_prefix (c->token, "cwt="));

  g_autofree char *apps_url = g_strconcat (mock->base, "/ucwa/oauth/v1/applications", NULL);
  g_autofree char *ep = g_strdup_printf ("{\"userAgent\":\"t\",\"endpointId\":\"ep-%s\",\"culture\":\"en-US\"}", user);
  g_autofree char *app_body = http ("POST", apps_url, c->token, "application/json", ep, &status, NULL);
  g_assert_cmpuint (status, ==, 201);
  g_autoptr (JsonObject) app = parse (app_body);
  c->app = g_strdup (link_href (app, "self"));
  g_autofree char *events = g_strconcat (c->app, "/events?ack=1", NULL);
  g_assert_cmpstr (link_href (app, "events"), ==, events);
  c->ack = 1;

  g_autofree char *again = http ("POST", apps_url, c->token, "application/json", ep, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_autoptr (JsonObject) same = parse (again);
  g_assert_cmpstr (link_href (same, "self"), ==, c->app);

  JsonObject *me = json_object_get_object_member (json_object_get_object_member (app, "_embedded"), "me");
  g_autofree char *mma = absolute (c, link_href (me, "makeMeAvailable"));
  g_autofree char *r G_GNUC_UNUSED = http ("POST", mma, c->token, "application/json",
                                           "{\"SupportedModalities\":[\"Messaging\"]}", &status, NULL);
  g_assert_cmpuint (status, ==, 204);
  return c;
}

static void
client_free (Client *c)
{
  g_free (c->base);
  g_free (c->token);
  g_free (c->app);
  g_free (c);
}

/* One P-GET with the current ack; advances it.  Returns the answer. */
static JsonObject *
pget (Client *c)
{
  guint status;
  g_autofree char *href = g_strdup_printf ("%s/events?ack=%" G_GUINT64_FORMAT, c->app, c->ack);
  g_autofree char *url = absolute (c, href);
  g_autofree char *body = http ("GET", url, c->token, NULL, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  JsonObject *answer = parse (body);
  g_autofree char *next = g_strdup_printf ("events?ack=%" G_GUINT64_FORMAT, c->ack + 1);
  g_assert_true (g_str_has_suffix (link_href (answer, "next"), next));
  c->ack++;
  return answer;
}

/* Polls until an event of @type on link rel @rel appears; returns a copy. */
static JsonObject *
wait_event (Client *c, const char *type, const char *rel, const char *direction)
{
  for (int round = 0; round < 5; round++)
    {
      g_autoptr (JsonObject) answer = pget (c);
      if (!json_object_has_member (answer, "sender"))
        continue;
      JsonArray *senders = json_object_get_array_member (answer, "sender");
      for (guint s = 0; s < json_array_get_length (senders); s++)
        {
          JsonArray *events = json_object_get_array_member (json_array_get_object_element (senders, s), "events");
          for (guint e = 0; e < json_array_get_length (events); e++)
            {
              JsonObject *ev = json_array_get_object_element (events, e);
              JsonObject *link = json_object_get_object_member (ev, "link");
              if (g_strcmp0 (json_object_get_string_member (ev, "type"), type) != 0
                  || g_strcmp0 (json_object_get_string_member (link, "rel"), rel) != 0)
                continue;
              JsonObject *emb = json_object_has_member (ev, "_embedded")
                  ? json_object_get_object_member (json_object_get_object_member (ev, "_embedded"), rel)
                  : NULL;
              if (direction && (!emb || g_strcmp0 (json_object_get_string_member (emb, "direction"), direction) != 0))
                continue;
              return json_object_ref (ev);
            }
        }
    }
  g_assert_not_reached ();
  return NULL;
}

static JsonObject *
embedded (JsonObject *ev, const char *rel)
{
  return json_object_get_object_member (json_object_get_object_member (ev, "_embedded"), rel);
}

static void
test_discovery (void)
{
  Mock *mock = mock_start (NULL);
  guint status;
  SoupMessageHeaders *headers = NULL;
  g_autofree char *root_url = g_strconcat (mock->base, "/autodiscover/AutodiscoverService.svc/root", NULL);
  g_autofree char *root = http ("GET", root_url, NULL, NULL, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_autoptr (JsonObject) root_obj = parse (root);
  const char *user_url = link_href (root_obj, "user");
  g_assert_nonnull (user_url);
  g_autofree char *challenge G_GNUC_UNUSED = http ("GET", user_url, NULL, NULL, NULL, &status, &headers);
  g_assert_cmpuint (status, ==, 401);
  g_autofree char *www = g_strdup (soup_message_headers_get_list (headers, "WWW-Authenticate"));
  soup_message_headers_unref (headers);
  g_assert_nonnull (strstr (www, "Bearer trusted_issuers="));
  g_autofree char *expected = g_strdup_printf ("MsRtcOAuth href=\"%s/WebTicket/oauthtoken\"", mock->base);
  g_assert_nonnull (strstr (www, expected));

  g_autofree char *token_url = g_strconcat (mock->base, "/WebTicket/oauthtoken", NULL);
  g_autofree char *bad = http ("POST", token_url, NULL, "application/x-www-form-urlencoded",
                               "grant_type=password&username=alice%40example.test&password=nope",
                               &status, NULL);
  g_assert_cmpuint (status, ==, 400);
  g_assert_nonnull (strstr (bad, "invalid_grant"));

  Client *alice = sign_in (mock, "alice");
  g_autofree char *with_token = http ("GET", user_url, alice->token, NULL, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_autoptr (JsonObject) user = parse (with_token);
  g_autofree char *apps = g_strconcat (mock->base, "/ucwa/oauth/v1/applications", NULL);
  g_assert_cmpstr (link_href (user, "applications"), ==, apps);
  client_free (alice);
  mock_stop (mock);
}

typedef struct {
  Client *client;
  JsonObject *answer;
  gint done;
} Poll;

static gpointer
poll_thread (gpointer data)
{
  Poll *poll = data;
  poll->answer = pget (poll->client);
  g_atomic_int_set (&poll->done, 1);
  return NULL;
}

typedef struct {
  char *url;
  char *token;
  guint status;
  char *body;
} RawPoll;

static gpointer
raw_poll_thread (gpointer data)
{
  RawPoll *poll = data;
  poll->body = http ("GET", poll->url, poll->token, NULL, NULL, &poll->status, NULL);
  return NULL;
}

static void
test_echo (void)
{
  Mock *mock = mock_start (NULL);
  Client *alice = sign_in (mock, "alice");
  g_autoptr (JsonObject) burst G_GNUC_UNUSED = wait_event (alice, "updated", "communication", NULL);

  Poll poll = { .client = alice };
  GThread *thread = g_thread_new ("pget", poll_thread, &poll);
  g_usleep (200 * 1000);
  g_assert_false (g_atomic_int_get (&poll.done));   /* parked */
  guint status;
  SoupMessageHeaders *headers = NULL;
  g_autofree char *start = g_strconcat (mock->base, alice->app, "/communication/messagingInvitations", NULL);
  g_autofree char *r = http ("POST", start, alice->token, "application/json",
                             "{\"operationId\":\"op-echo\",\"to\":\"sip:echo@example.test\",\"subject\":\"t\"}",
                             &status, &headers);
  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpstr (r, ==, "");
  g_autofree char *location = g_strdup (soup_message_headers_get_one (headers, "Location"));
  soup_message_headers_unref (headers);
  g_thread_join (thread);
  JsonArray *senders = json_object_get_array_member (poll.answer, "sender");
  JsonObject *first = json_array_get_object_element (json_object_get_array_member (json_array_get_object_element (senders, 0), "events"), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "type"), ==, "started");
  JsonObject *inv = embedded (first, "messagingInvitation");
  g_assert_cmpstr (json_object_get_string_member (inv, "operationId"), ==, "op-echo");
  g_assert_cmpstr (link_href (inv, "self"), ==, location);
  json_object_unref (poll.answer);

  g_autoptr (JsonObject) done = wait_event (alice, "completed", "messagingInvitation", NULL);
  g_assert_cmpstr (json_object_get_string_member (done, "status"), ==, "Success");
  g_autofree char *conv = g_strdup (link_href (embedded (done, "messagingInvitation"), "messaging"));
  g_autofree char *send = g_strconcat (mock->base, conv, "/messages?operationId=m1", NULL);
  const char *text = "Hi \xc3\xa9 & 100% +1";
  g_autofree char *r2 G_GNUC_UNUSED = http ("POST", send, alice->token, "text/plain; charset=utf-8", text, &status, NULL);
  g_assert_cmpuint (status, ==, 201);
  g_autoptr (JsonObject) sent = wait_event (alice, "completed", "message", "Outgoing");
  g_assert_cmpstr (json_object_get_string_member (embedded (sent, "message"), "operationId"), ==, "m1");
  g_autoptr (JsonObject) echo = wait_event (alice, "completed", "message", "Incoming");
  g_autofree char *got = data_uri_text (link_href (embedded (echo, "message"), "plainMessage"));
  g_autofree char *want = g_strdup_printf ("echo: %s\r\n", text);
  g_assert_cmpstr (got, ==, want);
  client_free (alice);
  mock_stop (mock);
}

typedef struct {
  char *url;
  char *token;
  const char *body;
  guint status;
  char *location;
  gint done;
} RawPost;

static gpointer
raw_post_thread (gpointer data)
{
  RawPost *post = data;
  SoupMessageHeaders *headers = NULL;
  g_autofree char *body G_GNUC_UNUSED = http ("POST", post->url, post->token, "application/json",
                                              post->body, &post->status, &headers);
  post->location = g_strdup (soup_message_headers_get_one (headers, "Location"));
  soup_message_headers_unref (headers);
  g_atomic_int_set (&post->done, 1);
  return NULL;
}

/* --events-before-201: the 201 waits until the package with the
 * operation's events has been acknowledged by the next P-GET. */
static void
test_events_before_201 (void)
{
  const char *const flags[] = { "--events-before-201", NULL };
  Mock *mock = mock_start (flags);
  Client *alice = sign_in (mock, "alice");
  g_autoptr (JsonObject) burst G_GNUC_UNUSED = wait_event (alice, "updated", "communication", NULL);

  Poll first = { .client = alice };
  GThread *poll_a = g_thread_new ("pget", poll_thread, &first);
  g_usleep (200 * 1000);
  g_autofree char *url = g_strconcat (mock->base, alice->app, "/communication/messagingInvitations", NULL);
  RawPost post = { .url = url, .token = alice->token,
                   .body = "{\"operationId\":\"op-early\",\"to\":\"sip:echo@example.test\"}" };
  GThread *poster = g_thread_new ("post", raw_post_thread, &post);
  g_thread_join (poll_a);
  JsonObject *ev = json_array_get_object_element (json_object_get_array_member (json_array_get_object_element (json_object_get_array_member (first.answer, "sender"), 0), "events"), 0);
  JsonObject *inv = embedded (ev, "messagingInvitation");
  g_assert_cmpstr (json_object_get_string_member (inv, "operationId"), ==, "op-early");
  g_autofree char *self = g_strdup (link_href (inv, "self"));
  json_object_unref (first.answer);
  g_usleep (300 * 1000);
  g_assert_false (g_atomic_int_get (&post.done));

  Poll second = { .client = alice };
  GThread *poll_b = g_thread_new ("pget", poll_thread, &second);
  g_thread_join (poster);
  g_assert_cmpuint (post.status, ==, 201);
  g_assert_cmpstr (post.location, ==, self);
  g_thread_join (poll_b);
  json_object_unref (second.answer);
  g_free (post.location);
  client_free (alice);
  mock_stop (mock);
}

static void
test_send_im_and_replace (void)
{
  Mock *mock = mock_start (NULL);
  Client *alice = sign_in (mock, "alice");
  g_autoptr (JsonObject) burst G_GNUC_UNUSED = wait_event (alice, "updated", "communication", NULL);
  guint status;
  g_autofree char *url = g_strconcat (mock->base, "/mock/v1/send-im", NULL);
  g_autofree char *none G_GNUC_UNUSED = http ("POST", url, NULL, "application/json",
                                              "{\"from\":\"alice@example.test\",\"to\":\"carol@example.test\",\"text\":\"x\"}",
                                              &status, NULL);
  g_assert_cmpuint (status, ==, 404);

  /* Two same-ack P-GETs: the older one is answered 409 PGetReplaced. */
  g_autofree char *href = g_strdup_printf ("%s%s/events?ack=%" G_GUINT64_FORMAT,
                                           mock->base, alice->app, alice->ack);
  RawPoll older = { .url = href, .token = alice->token };
  RawPoll newer = { .url = href, .token = alice->token };
  GThread *thread = g_thread_new ("older", raw_poll_thread, &older);
  g_usleep (200 * 1000);
  GThread *thread2 = g_thread_new ("newer", raw_poll_thread, &newer);
  g_thread_join (thread);
  g_assert_cmpuint (older.status, ==, 409);
  g_assert_nonnull (strstr (older.body, "\"PGetReplaced\""));
  g_usleep (100 * 1000);
  g_autofree char *ok G_GNUC_UNUSED = http ("POST", url, NULL, "application/json",
                                            "{\"from\":\"bob@example.test\",\"to\":\"alice@example.test\",\"text\":\"Hello Alice\"}",
                                            &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_thread_join (thread2);
  g_assert_cmpuint (newer.status, ==, 200);
  g_autoptr (JsonObject) package = parse (newer.body);
  JsonObject *ev = json_array_get_object_element (json_object_get_array_member (json_array_get_object_element (json_object_get_array_member (package, "sender"), 0), "events"), 0);
  JsonObject *inv = embedded (ev, "messagingInvitation");
  g_assert_cmpstr (json_object_get_string_member (inv, "direction"), ==, "Incoming");
  g_autofree char *text = data_uri_text (link_href (inv, "message"));
  g_assert_cmpstr (text, ==, "Hello Alice\r\n");
  g_assert_nonnull (link_href (inv, "accept"));
  g_free (older.body);
  g_free (newer.body);
  client_free (alice);
  mock_stop (mock);
}

/* Typing from the peer appears and ends after --typing-timeout; our
 * stopMessaging tears the conversation down; a second one answers 404. */
static void
test_typing_and_teardown (void)
{
  const char *const flags[] = { "--typing-timeout=1", NULL };
  Mock *mock = mock_start (flags);
  Client *alice = sign_in (mock, "alice");
  g_autoptr (JsonObject) burst G_GNUC_UNUSED = wait_event (alice, "updated", "communication", NULL);
  guint status;
  g_autofree char *send_im = g_strconcat (mock->base, "/mock/v1/send-im", NULL);
  g_autofree char *r1 G_GNUC_UNUSED = http ("POST", send_im, NULL, "application/json",
                                            "{\"from\":\"bob@example.test\",\"to\":\"alice@example.test\",\"text\":\"hi\"}",
                                            &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_autoptr (JsonObject) invited = wait_event (alice, "started", "messagingInvitation", "Incoming");
  JsonObject *inv = embedded (invited, "messagingInvitation");
  g_autofree char *accept = absolute (alice, link_href (inv, "accept"));
  g_autofree char *r2 G_GNUC_UNUSED = http ("POST", accept, alice->token, NULL, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 204);
  g_autoptr (JsonObject) connected = wait_event (alice, "updated", "messaging", NULL);
  JsonObject *messaging = embedded (connected, "messaging");
  g_assert_cmpstr (json_object_get_string_member (messaging, "state"), ==, "Connected");
  g_autofree char *stop = absolute (alice, link_href (messaging, "stopMessaging"));

  g_autofree char *typing = g_strconcat (mock->base, "/mock/v1/typing", NULL);
  g_autofree char *r3 G_GNUC_UNUSED = http ("POST", typing, NULL, "application/json",
                                            "{\"from\":\"bob@example.test\",\"to\":\"alice@example.test\",\"typing\":true}",
                                            &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_autoptr (JsonObject) started = wait_event (alice, "added", "participant", NULL);
  JsonObject *in = json_object_get_object_member (started, "in");
  g_assert_cmpstr (json_object_get_string_member (in, "rel"), ==, "typingParticipants");
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (JsonObject) ended = wait_event (alice, "deleted", "participant", NULL);
  g_assert_true (json_object_has_member (ended, "in"));
  g_assert_cmpint (g_get_monotonic_time () - t0, >=, 500 * 1000);

  g_autofree char *r4 G_GNUC_UNUSED = http ("POST", stop, alice->token, NULL, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 204);
  g_autoptr (JsonObject) gone G_GNUC_UNUSED = wait_event (alice, "deleted", "conversation", NULL);
  g_autofree char *r5 G_GNUC_UNUSED = http ("POST", stop, alice->token, NULL, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 404);
  client_free (alice);
  mock_stop (mock);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mock/discovery", test_discovery);
  g_test_add_func ("/mock/echo", test_echo);
  g_test_add_func ("/mock/send-im-and-replace", test_send_im_and_replace);
  g_test_add_func ("/mock/events-before-201", test_events_before_201);
  g_test_add_func ("/mock/typing-and-teardown", test_typing_and_teardown);
  return g_test_run ();
}
