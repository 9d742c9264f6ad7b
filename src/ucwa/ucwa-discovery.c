/* ucwa-discovery.c: from the sign-in address to the user resource.
 *
 * With a configured URL we GET that root; without one we try
 * https://lyncdiscoverinternal.<domain>/ and then
 * https://lyncdiscover.<domain>/ (RootURL.md).  A root answers with
 * `_links.user`, or with `_links.redirect` to another root, which we follow
 * a bounded number of times (only to URLs the request layer accepts, so
 * never down from https to remote plain http).
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ucwa-client-private.h"
#include "ucwa-resource.h"

#define MAX_REDIRECTS 4

typedef struct {
  UcwaClient        *client;
  UcwaDiscoveryFunc  callback;
  GPtrArray         *candidates; /* root URLs still to try */
  GPtrArray         *tried;      /* and those tried, for the error */
  guint              redirects;
  GError            *first_error;
} UcwaDiscovery;

typedef UcwaDiscovery UcwaDiscoveryRef;
static void discovery_unref (gpointer data);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UcwaDiscoveryRef, discovery_unref)

static void try_next (UcwaDiscovery *discovery);

/* Each request holds a reference, so a shutdown mid-way frees it too. */
static void
discovery_clear (gpointer data)
{
  UcwaDiscovery *discovery = data;

  g_ptr_array_unref (discovery->candidates);
  g_ptr_array_unref (discovery->tried);
  g_clear_error (&discovery->first_error);
}

static void
discovery_unref (gpointer data)
{
  g_rc_box_release_full (data, discovery_clear);
}

static void
discovery_finish (UcwaDiscovery *discovery,
                  const char    *user_url,
                  const GError  *error)
{
  discovery->callback (discovery->client, user_url, error);
}

static void
get_root (UcwaDiscovery *discovery,
          const char    *url);

static void
on_root (UcwaResponse *response,
         const GError *error,
         gpointer      user_data)
{
  UcwaDiscovery *discovery = user_data;
  JsonObject *root = ucwa_response_get_object (response);
  g_autofree char *base = NULL;
  const char *user, *redirect;

  /* An insecure URL is the user's setting to fix, not a network fault. */
  if (error != NULL && error->code == UCWA_ERROR_INVALID_SETTINGS)
    {
      discovery_finish (discovery, NULL, error);
      return;
    }
  if (error != NULL || root == NULL)
    {
      if (discovery->first_error == NULL)
        discovery->first_error = error ? g_error_copy (error)
                                       : g_error_new (UCWA_ERROR, UCWA_ERROR_PROTOCOL,
                                                      _("The autodiscovery answer is not JSON"));
      try_next (discovery);
      return;
    }

  base = g_uri_to_string (soup_message_get_uri (response->message));
  user = ucwa_resource_get_link (root, "user");
  redirect = ucwa_resource_get_link (root, "redirect");
  if (user != NULL)
    {
      g_autofree char *user_url = ucwa_resource_resolve (base, user);
      discovery_finish (discovery, user_url, NULL);
      return;
    }
  if (redirect != NULL && discovery->redirects < MAX_REDIRECTS)
    {
      g_autofree char *next = ucwa_resource_resolve (base, redirect);

      discovery->redirects++;
      g_debug ("autodiscovery redirects to %s", next);
      get_root (discovery, next);
      return;
    }

  g_clear_error (&discovery->first_error);
  discovery->first_error = g_error_new (UCWA_ERROR, UCWA_ERROR_PROTOCOL,
                                        _("The autodiscovery answer names no user resource"));
  try_next (discovery);
}

static void
get_root (UcwaDiscovery *discovery,
          const char    *url)
{
  g_debug ("autodiscovery: GET %s", url);
  ucwa_client_call (discovery->client, "GET", url, NULL, NULL, on_root,
                    g_rc_box_acquire (discovery), discovery_unref);
}

static void
try_next (UcwaDiscovery *discovery)
{
  g_autofree char *url = NULL;

  if (discovery->candidates->len == 0)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *tried = NULL;

      int code = discovery->first_error ? discovery->first_error->code : UCWA_ERROR_NETWORK;

      /* A URL the user set that answers, but not as a UCWA root, is a
       * setting to fix: trying again will not help. */
      if (discovery->client->discovery_url != NULL
          && (code == UCWA_ERROR_SERVER || code == UCWA_ERROR_PROTOCOL))
        code = UCWA_ERROR_INVALID_SETTINGS;
      g_ptr_array_add (discovery->tried, NULL);
      tried = g_strjoinv (", ", (char **) discovery->tried->pdata);
      error = g_error_new (UCWA_ERROR, code,
                           _("Could not find the Skype for Business server at %s: %s"),
                           tried,
                           discovery->first_error ? discovery->first_error->message
                                                  : _("no autodiscovery URL"));
      discovery_finish (discovery, NULL, error);
      return;
    }
  url = g_ptr_array_steal_index (discovery->candidates, 0);
  g_ptr_array_add (discovery->tried, g_strdup (url));
  get_root (discovery, url);
}

GPtrArray *
ucwa_discovery_candidates (const char *address,
                           const char *configured_url)
{
  GPtrArray *candidates = g_ptr_array_new_with_free_func (g_free);
  const char *at = address ? strrchr (address, '@') : NULL;

  if (configured_url != NULL && *configured_url != '\0')
    g_ptr_array_add (candidates, g_strdup (configured_url));
  else if (at != NULL && at[1] != '\0')
    {
      g_autofree char *domain = g_ascii_strdown (at + 1, -1);

      /* RootURL.md: the internal name first, then the external one. */
      g_ptr_array_add (candidates, g_strdup_printf ("https://lyncdiscoverinternal.%s/", domain));
      g_ptr_array_add (candidates, g_strdup_printf ("https://lyncdiscover.%s/", domain));
    }
  return candidates;
}

void
ucwa_discovery_run (UcwaClient        *client,
                    UcwaDiscoveryFunc  callback)
{
  g_autoptr(UcwaDiscoveryRef) discovery = g_rc_box_new0 (UcwaDiscovery);

  discovery->client = client;
  discovery->callback = callback;
  discovery->candidates = ucwa_discovery_candidates (client->address, client->discovery_url);
  discovery->tried = g_ptr_array_new_with_free_func (g_free);

  if (discovery->candidates->len == 0)
    {
      g_autoptr(GError) error = g_error_new (UCWA_ERROR, UCWA_ERROR_INVALID_SETTINGS,
                                             _("The sign-in address %s has no domain"),
                                             client->address);
      discovery_finish (discovery, NULL, error);
      return;
    }
  try_next (discovery);
}
