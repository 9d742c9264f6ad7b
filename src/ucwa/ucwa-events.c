/* ucwa-events.c: the event channel, a loop of long-polling GETs (P-GET).
 *
 * One P-GET is outstanding at a time.  Each answer names the next href to
 * GET (`next`, or `resume`/`resync` after trouble; EventsInUCWA.md,
 * EventChannelDetails.md); we send that P-GET before handling the answer, so
 * the server can park it while we work, and hand the answer to the
 * dispatcher, answers strictly in order.  Transport failures retry the same
 * href with back-off (the server serves unacknowledged events again); an
 * application the server no longer knows ends the client.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ucwa-client-private.h"
#include "ucwa-resource.h"

/* The server releases an empty answer after 180 s by default; a P-GET that
 * stays silent much longer than that sits on a dead connection, and its
 * own timeout ends it. */
#define PGET_TIMEOUT_S     (180 + 60)
#define MAX_BACKOFF_S      30
#define MAX_FAILURES       6

struct _UcwaEventChannel {
  UcwaClient *client;
  char       *href;        /* what the next P-GET asks for */
  guint       failures;    /* consecutive, for the back-off */
  guint       retry_id;
};

static void poll_now (UcwaEventChannel *channel);

UcwaEventChannel *
ucwa_event_channel_new (UcwaClient *client,
                        const char *events_href)
{
  UcwaEventChannel *channel = g_new0 (UcwaEventChannel, 1);

  channel->client = client;
  channel->href = g_strdup (events_href);
  return channel;
}

void
ucwa_event_channel_free (UcwaEventChannel *channel)
{
  g_clear_handle_id (&channel->retry_id, g_source_remove);
  g_free (channel->href);
  g_free (channel);
}

static gboolean
on_retry (gpointer user_data)
{
  UcwaEventChannel *channel = user_data;

  channel->retry_id = 0;
  poll_now (channel);
  return G_SOURCE_REMOVE;
}

/* Retries the same href later, or gives up after too many failures in a
 * row so that the front end can reconnect from scratch. */
static void
retry_later (UcwaEventChannel *channel,
             const GError     *error)
{
  guint delay;

  channel->failures++;
  if (channel->failures > MAX_FAILURES)
    {
      g_autoptr(GError) lost = g_error_new (UCWA_ERROR, UCWA_ERROR_NETWORK,
                                            _("Lost the connection to the server: %s"),
                                            error->message);
      ucwa_client_fail (channel->client, lost);
      return;
    }
  delay = MIN (1u << (channel->failures - 1), MAX_BACKOFF_S);
  g_debug ("event channel: %s; retrying in %u s", error->message, delay);
  channel->retry_id = g_timeout_add_seconds (delay, on_retry, channel);
}

/* Picks the href of the next P-GET from an answer's links, and says which
 * link it was. */
static const char *
next_href (JsonObject  *answer,
           const char **rel)
{
  static const char *const rels[] = { "next", "resume", "resync" };

  for (gsize i = 0; i < G_N_ELEMENTS (rels); i++)
    {
      const char *href = ucwa_resource_get_link (answer, rels[i]);
      if (href != NULL)
        {
          *rel = rels[i];
          return href;
        }
    }
  return NULL;
}

static void
on_answer (UcwaResponse *response,
           const GError *error,
           gpointer      user_data)
{
  UcwaEventChannel *channel = user_data;
  UcwaClient *client = channel->client; /* alive while its request is */
  JsonObject *answer;
  const char *next, *rel = NULL;

  if (error != NULL)
    {
      if (g_strcmp0 (response->subcode, "ApplicationNotFound") == 0
          || response->status == SOUP_STATUS_GONE
          || response->status == SOUP_STATUS_UNAUTHORIZED)
        {
          g_autoptr(GError) ended = g_error_new (UCWA_ERROR, UCWA_ERROR_NETWORK,
                                                 _("The server ended the session: %s"),
                                                 error->message);
          ucwa_client_fail (channel->client, ended);
          return;
        }
      retry_later (channel, error);
      return;
    }

  answer = ucwa_response_get_object (response);
  next = answer ? next_href (answer, &rel) : NULL;
  if (next == NULL)
    {
      g_autoptr(GError) bad = g_error_new (UCWA_ERROR, UCWA_ERROR_PROTOCOL,
                                           _("The event channel answer has no next link"));
      retry_later (channel, bad);
      return;
    }

  channel->failures = 0;
  g_free (channel->href);
  channel->href = g_strdup (next);
  poll_now (channel);

  /* From here on a listener may end the client, which frees @channel. */

  /* resume: the server ended our conversations and subscriptions while we
   * were away; resync: what we were sent may be incomplete. */
  if (g_strcmp0 (rel, "resume") == 0 || g_strcmp0 (rel, "resync") == 0)
    {
      g_message ("event channel: the server asks to %s", rel);
      ucwa_client_refresh (client, g_strcmp0 (rel, "resume") == 0);
      if (!ucwa_client_is_live (client))
        return;
    }
  ucwa_client_handle_answer (client, response->json);
}

static void
poll_now (UcwaEventChannel *channel)
{
  ucwa_client_call_full (channel->client, "GET", channel->href, NULL, NULL, PGET_TIMEOUT_S,
                         on_answer, channel, NULL);
}

void
ucwa_event_channel_start (UcwaEventChannel *channel)
{
  g_return_if_fail (channel->retry_id == 0);

  poll_now (channel);
}
