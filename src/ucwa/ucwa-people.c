/* ucwa-people.c: the user's contact list, read once at sign-in.
 *
 * GET myContacts lists the contacts (myContacts_ref.md); each contact's
 * presence is read once from its contactPresence link, and contactPresence
 * events that the server pushes later are followed the same way.  Presence
 * subscriptions and list changes come with the presence work.
 */
#include "config.h"

#include "ucwa-client-private.h"
#include "ucwa-resource.h"

struct _UcwaPeople {
  UcwaClient *client;
  GHashTable *presence_hrefs; /* contactPresence href -> address */
};

UcwaPeople *
ucwa_people_new (UcwaClient *client)
{
  UcwaPeople *people = g_new0 (UcwaPeople, 1);

  people->client = client;
  people->presence_hrefs = g_hash_table_new_full (ucwa_href_hash,
                                                  (GEqualFunc) ucwa_href_equal,
                                                  g_free, g_free);
  return people;
}

void
ucwa_people_free (UcwaPeople *people)
{
  g_hash_table_unref (people->presence_hrefs);
  g_free (people);
}

static void
on_presence (UcwaResponse *response,
             const GError *error,
             gpointer      user_data)
{
  UcwaPersonCall *call = user_data;
  UcwaClient *client = call->client;
  const char *address = call->address;
  const char *availability;

  if (error != NULL)
    {
      g_debug ("presence of %s unknown: %s", address, error->message);
      return;
    }
  availability = ucwa_resource_get_string (ucwa_response_get_object (response),
                                           "availability");
  if (availability != NULL && client->listener.contact_presence != NULL)
    client->listener.contact_presence (client, address, availability,
                                       client->listener_data);
}


static void
fetch_presence (UcwaPeople *people,
                const char *href,
                const char *address)
{
  ucwa_client_call (people->client, "GET", href, NULL, NULL, on_presence,
                    ucwa_person_call_new (people->client, address), ucwa_person_call_free);
}

static void
on_contacts (UcwaResponse *response,
             const GError *error,
             gpointer      user_data)
{
  UcwaClient *client = user_data;
  UcwaPeople *people = client->people;
  g_autoptr(GList) contacts = NULL;

  if (error != NULL)
    {
      g_message ("could not read the contact list: %s", error->message);
      return;
    }

  contacts = ucwa_resource_get_embedded_list (ucwa_response_get_object (response),
                                              "contact");
  for (GList *l = contacts; l != NULL; l = l->next)
    {
      JsonObject *contact = l->data;
      g_autofree char *address = ucwa_uri_to_address (ucwa_resource_get_string (contact, "uri"));
      const char *presence = ucwa_resource_get_link (contact, "contactPresence");

      if (address == NULL)
        continue;
      if (client->listener.contact_added != NULL)
        client->listener.contact_added (client, address,
                                        ucwa_resource_get_string (contact, "name"),
                                        client->listener_data);
      if (!ucwa_client_is_live (client))
        return;
      if (presence != NULL)
        {
          g_autofree char *url = ucwa_client_resolve (client, presence);

          g_hash_table_replace (people->presence_hrefs, g_strdup (url), g_strdup (address));
          fetch_presence (people, url, address);
        }
    }
}

void
ucwa_people_fetch (UcwaPeople *people)
{
  JsonObject *hub = ucwa_resource_get_embedded (people->client->application, "people");
  const char *href = ucwa_resource_get_link (hub, "myContacts");

  if (href == NULL)
    {
      g_debug ("the application has no contact list");
      return;
    }
  ucwa_client_call (people->client, "GET", href, NULL, NULL, on_contacts,
                    people->client, NULL);
}

static void
on_contact_presence (const UcwaEvent *event,
                     gpointer         user_data)
{
  UcwaClient *client = user_data;
  g_autofree char *url = ucwa_client_resolve (client, event->link_href);
  const char *address = NULL;

  if (!ucwa_client_is_live (client) || url == NULL)
    return;
  address = g_hash_table_lookup (client->people->presence_hrefs, url);

  /* contactPresence events are link-only: read the new state. */
  if (address != NULL)
    fetch_presence (client->people, url, address);
}

const UcwaDispatchRow ucwa_people_rows[] = {
  { "people", "contactPresence", "updated", NULL, on_contact_presence },
  { NULL, NULL, NULL, NULL, NULL },
};
