/* mock-events.c: per-application event queues and the P-GET long poll.
 *
 * Follows EventsInUCWA.md, EventChannelDetails.md and events_ref.md:
 * package N is the answer to `events?ack=N`; it carries `self` (ack=N) and
 * `next` (ack=N+1) and stays until a P-GET with ack=N+1 acknowledges it, so
 * a retry with ack=N gets the same events again.  A P-GET with any other
 * ack is outside the window and gets only `_links.resync`.  At most one
 * P-GET is parked per application; a newer one replaces it (409
 * PGetReplaced to the older).  Every event is treated as high priority for
 * now: queued events release a parked P-GET at once (on the next main-loop
 * turn, so that the events of one request travel together).
 */
#include "mock.h"

#include <string.h>

struct _MockEvent {
  guint64 seq;
  char *sender_rel;
  char *sender_href;
  JsonObject *event;
};

struct _MockPackage {
  guint64 ack;
  guint64 last_seq;          /* 0 when empty */
  GPtrArray *events;         /* MockEvent* */
  gboolean resume;           /* `resume` instead of `next` */
};

/* A 201 held until its events are acknowledged (--events-before-201), or a
 * flush held until a 201 has been written (default order). */
struct _MockHeldReply {
  MockApp *app;
  SoupServerMessage *msg;
  gulong finished_id;
  guint fallback_id;
  guint64 seq;
  char *location;
  gboolean holds_flush;
};

#define HELD_FALLBACK_MS 3000

static void schedule_flush (MockApp *app);

static void
mock_event_free (MockEvent *ev)
{
  g_free (ev->sender_rel);
  g_free (ev->sender_href);
  json_object_unref (ev->event);
  g_free (ev);
}

static void
mock_package_free (MockPackage *pkg)
{
  if (!pkg)
    return;
  g_ptr_array_unref (pkg->events);
  g_free (pkg);
}

JsonObject *
mock_event_new (const char *type, const char *rel, const char *href, const char *title)
{
  JsonObject *ev = json_object_new ();
  JsonObject *link = mock_link (href, title);
  json_object_set_string_member (link, "rel", rel);
  json_object_set_object_member (ev, "link", link);
  json_object_set_string_member (ev, "type", type);
  return ev;
}

void
mock_event_set_in (JsonObject *event, const char *rel, const char *href, const char *title)
{
  JsonObject *in = mock_link (href, title);
  json_object_set_string_member (in, "rel", rel);
  json_object_set_object_member (event, "in", in);
}

void
mock_event_embed (JsonObject *event, const char *rel, JsonObject *child)
{
  mock_embed (event, rel, child);
}

void
mock_event_set_status (JsonObject *event, const char *status, JsonObject *reason)
{
  json_object_set_string_member (event, "status", status);
  if (reason)
    json_object_set_object_member (event, "reason", reason);
}

MockApp *
mock_events_init (MockApp *app)
{
  app->ack_base = 1;
  g_queue_init (&app->pending);
  app->held = g_ptr_array_new ();
  return app;
}

void
mock_events_push (MockApp *app, const char *sender_rel, const char *sender_href,
                  JsonObject *event)
{
  MockEvent *ev = g_new0 (MockEvent, 1);
  ev->seq = ++app->next_event_seq;
  ev->sender_rel = g_strdup (sender_rel);
  ev->sender_href = g_strdup (sender_href);
  ev->event = event;
  g_queue_push_tail (&app->pending, ev);
  schedule_flush (app);
}

static char *
events_href (MockApp *app, guint64 ack)
{
  return mock_app_href (app, "/events?ack=%" G_GUINT64_FORMAT, ack);
}

/* Groups consecutive events of one sender, keeping event order. */
static JsonObject *
package_body (MockApp *app, MockPackage *pkg)
{
  JsonObject *body = json_object_new ();
  g_autofree char *self = events_href (app, pkg->ack);
  g_autofree char *next = events_href (app, pkg->ack + 1);
  mock_add_link (body, "self", self);
  mock_add_link (body, pkg->resume ? "resume" : "next", next);
  if (pkg->events->len == 0)
    return body;

  JsonArray *senders = json_array_new ();
  JsonObject *sender = NULL;
  const char *sender_href = NULL;
  for (guint i = 0; i < pkg->events->len; i++)
    {
      MockEvent *ev = g_ptr_array_index (pkg->events, i);
      if (!sender || g_strcmp0 (sender_href, ev->sender_href) != 0)
        {
          sender = json_object_new ();
          json_object_set_string_member (sender, "rel", ev->sender_rel);
          json_object_set_string_member (sender, "href", ev->sender_href);
          json_object_set_array_member (sender, "events", json_array_new ());
          json_array_add_object_element (senders, sender);
          sender_href = ev->sender_href;
        }
      json_array_add_object_element (json_object_get_array_member (sender, "events"),
                                     json_object_ref (ev->event));
    }
  json_object_set_array_member (body, "sender", senders);
  return body;
}

static MockPackage *
package_from_pending (MockApp *app)
{
  MockPackage *pkg = g_new0 (MockPackage, 1);
  pkg->ack = app->ack_base;
  pkg->resume = app->resume_next;
  app->resume_next = FALSE;
  pkg->events = g_ptr_array_new_with_free_func ((GDestroyNotify) mock_event_free);
  MockEvent *ev;
  while ((ev = g_queue_pop_head (&app->pending)))
    {
      pkg->last_seq = ev->seq;
      g_ptr_array_add (pkg->events, ev);
    }
  return pkg;
}

static void
unpark (MockApp *app)
{
  g_clear_handle_id (&app->parked_timeout_id, g_source_remove);
  if (app->parked_finished_id)
    g_signal_handler_disconnect (app->parked, app->parked_finished_id);
  app->parked_finished_id = 0;
  g_clear_object (&app->parked);
}

/* Answers the parked P-GET (if any) with @status and @body (consumed). */
static void
answer_parked (MockApp *app, guint status, JsonObject *body)
{
  if (!app->parked)
    {
      json_object_unref (body);
      return;
    }
  g_autoptr (SoupServerMessage) msg = g_object_ref (app->parked);
  unpark (app);
  mock_respond_json (msg, status, body);
  soup_server_message_unpause (msg);
}

static gboolean
flush_idle (gpointer data)
{
  MockApp *app = data;
  app->flush_idle_id = 0;
  if (!app->parked || app->flush_holds > 0
      || (g_queue_is_empty (&app->pending) && !app->resume_next))
    return G_SOURCE_REMOVE;
  mock_package_free (app->current);
  app->current = package_from_pending (app);
  answer_parked (app, SOUP_STATUS_OK, package_body (app, app->current));
  return G_SOURCE_REMOVE;
}

static void
schedule_flush (MockApp *app)
{
  if (app->parked && !app->flush_idle_id)
    app->flush_idle_id = g_idle_add (flush_idle, app);
}

static void
held_free (MockHeldReply *held)
{
  g_clear_handle_id (&held->fallback_id, g_source_remove);
  if (held->finished_id)
    g_signal_handler_disconnect (held->msg, held->finished_id);
  g_clear_object (&held->msg);
  g_free (held->location);
  g_free (held);
}

/* Ends @held: answers a held 201, or lifts a flush hold. */
static void
held_release (MockHeldReply *held, gboolean answer)
{
  MockApp *app = held->app;
  g_ptr_array_remove (app->held, held);
  if (held->holds_flush)
    {
      app->flush_holds--;
      schedule_flush (app);
    }
  else if (answer)
    {
      soup_server_message_set_status (held->msg, SOUP_STATUS_CREATED, NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (held->msg),
                                    "Location", held->location);
      soup_server_message_set_response (held->msg, NULL, SOUP_MEMORY_STATIC, NULL, 0);
      soup_server_message_unpause (held->msg);
    }
  held_free (held);
}

static void
held_finished (SoupServerMessage *msg, gpointer data)
{
  held_release (data, FALSE);
}

static gboolean
held_fallback (gpointer data)
{
  MockHeldReply *held = data;
  held->fallback_id = 0;
  held_release (held, TRUE);
  return G_SOURCE_REMOVE;
}

static void
release_acked_replies (MockApp *app)
{
  for (guint i = app->held->len; i > 0; i--)
    {
      MockHeldReply *held = g_ptr_array_index (app->held, i - 1);
      if (!held->holds_flush && held->seq <= app->acked_event_seq)
        held_release (held, TRUE);
    }
}

/* OperationResource.md: 201 + Location + empty body.  The option
 * --events-before-201 decides whether the events of the operation (pushed
 * by the caller just before) go out first. */
void
mock_events_reply_created (MockApp *app, SoupServerMessage *msg, const char *location)
{
  MockHeldReply *held = g_new0 (MockHeldReply, 1);
  held->app = app;
  held->seq = app->next_event_seq;
  held->location = g_strdup (location);

  if (!app->server->opts.events_before_201 || held->seq <= app->acked_event_seq)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_CREATED, NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Location", location);
      soup_server_message_set_response (msg, NULL, SOUP_MEMORY_STATIC, NULL, 0);
      if (app->server->opts.events_before_201)
        {
          held_free (held);
          return;
        }
      held->holds_flush = TRUE;
      app->flush_holds++;
    }
  else
    {
      soup_server_message_pause (msg);
      held->fallback_id = g_timeout_add (HELD_FALLBACK_MS, held_fallback, held);
    }
  held->msg = g_object_ref (msg);
  held->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (held_finished), held);
  g_ptr_array_add (app->held, held);
}

static void
parked_finished (SoupServerMessage *msg, gpointer data)
{
  MockApp *app = data;
  if (app->parked == msg)
    unpark (app);
}

static gboolean
parked_timeout (gpointer data)
{
  MockApp *app = data;
  app->parked_timeout_id = 0;
  /* Empty release: a package without events, acknowledged like any. */
  mock_package_free (app->current);
  app->current = package_from_pending (app);
  answer_parked (app, SOUP_STATUS_OK, package_body (app, app->current));
  return G_SOURCE_REMOVE;
}

static guint64
query_uint (SoupServerMessage *msg, const char *name, gboolean *found)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  *found = FALSE;
  if (!query)
    return 0;
  g_autoptr (GHashTable) params = soup_form_decode (query);
  const char *value = g_hash_table_lookup (params, name);
  guint64 number = 0;
  if (value && g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT64, &number, NULL))
    *found = TRUE;
  return number;
}

/* EventChannelDetails.md: the long poll. */
void
mock_events_handle_pget (MockApp *app, SoupServerMessage *msg)
{
  gboolean has_ack, has_timeout;
  guint64 ack = query_uint (msg, "ack", &has_ack);
  guint64 timeout = query_uint (msg, "timeout", &has_timeout);
  guint cap = app->server->opts.pget_timeout;
  if (!has_timeout || timeout > cap)
    timeout = cap;

  if (app->parked)
    answer_parked (app, SOUP_STATUS_CONFLICT,
                   mock_reason_new ("Conflict", "PGetReplaced",
                                    "A newer event channel request replaced this one."));

  if (has_ack && app->current && ack == app->ack_base + 1)
    {
      if (app->current->last_seq)
        app->acked_event_seq = app->current->last_seq;
      g_clear_pointer (&app->current, mock_package_free);
      app->ack_base++;
      release_acked_replies (app);
    }
  else if (app->current && app->current->events->len == 0 && ack == app->ack_base)
    {
      /* An empty package carries nothing worth repeating. */
      g_clear_pointer (&app->current, mock_package_free);
    }

  if (!has_ack || ack != app->ack_base)
    {
      JsonObject *body = json_object_new ();
      g_autofree char *resync = events_href (app, app->ack_base);
      mock_add_link (body, "resync", resync);
      mock_respond_json (msg, SOUP_STATUS_OK, body);
      return;
    }

  if (app->current)
    {
      mock_respond_json (msg, SOUP_STATUS_OK, package_body (app, app->current));
      return;
    }
  if ((!g_queue_is_empty (&app->pending) || app->resume_next) && app->flush_holds == 0)
    {
      app->current = package_from_pending (app);
      mock_respond_json (msg, SOUP_STATUS_OK, package_body (app, app->current));
      return;
    }

  soup_server_message_pause (msg);
  app->parked = g_object_ref (msg);
  app->parked_finished_id = g_signal_connect (msg, "finished",
                                              G_CALLBACK (parked_finished), app);
  app->parked_timeout_id = g_timeout_add_seconds ((guint) timeout, parked_timeout, app);
  schedule_flush (app);
}

/* EventsInUCWA.md: after a long gap the server answers with `resume`
 * instead of `next`, having ended the application's conversations (and
 * presence subscriptions) meanwhile. */
void
mock_events_resume (MockApp *app)
{
  app->resume_next = TRUE;
  schedule_flush (app);
}

/* The application is being deleted: answer what waits on it.  With
 * @answer FALSE (shutdown), just let go of the messages. */
static void
events_release (MockApp *app, gboolean answer)
{
  while (app->held->len > 0)
    held_release (g_ptr_array_index (app->held, 0), answer);
  if (answer)
    answer_parked (app, SOUP_STATUS_NOT_FOUND,
                   mock_reason_new ("NotFound", "ApplicationNotFound",
                                    "The application does not exist."));
  else if (app->parked)
    unpark (app);
}

void
mock_events_clear (MockApp *app)
{
  if (!app->held)
    return;
  events_release (app, FALSE);
  g_clear_handle_id (&app->flush_idle_id, g_source_remove);
  g_clear_pointer (&app->current, mock_package_free);
  g_queue_clear_full (&app->pending, (GDestroyNotify) mock_event_free);
  g_clear_pointer (&app->held, g_ptr_array_unref);
}

void
mock_events_answer_all (MockApp *app)
{
  events_release (app, TRUE);
}
