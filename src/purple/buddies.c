/* buddies.c: the user's contact list and the contacts' presence. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ucwa-purple.h"

const char *
ucwa_purple_status_id_for_availability (const char *availability)
{
  if (availability == NULL || g_ascii_strcasecmp (availability, "Offline") == 0)
    return UCWA_PURPLE_STATUS_OFFLINE;
  if (g_ascii_strcasecmp (availability, "Online") == 0)
    return UCWA_PURPLE_STATUS_AVAILABLE;
  /* Away, Busy, DoNotDisturb, BeRightBack, Idle*: reachable, not free. */
  return UCWA_PURPLE_STATUS_AWAY;
}

static PurpleGroup *
ucwa_purple_contacts_group (void)
{
  const char *name = _("Contacts");
  PurpleGroup *group = purple_find_group (name);

  if (group == NULL)
    {
      group = purple_group_new (name);
      purple_blist_add_group (group, NULL);
    }
  return group;
}

void
ucwa_purple_contact_added (UcwaClient *client, const char *address,
                           const char *display_name, gpointer user_data)
{
  UcwaPurpleConnection *conn = user_data;
  PurpleBuddy *buddy = purple_find_buddy (conn->account, address);

  if (buddy == NULL)
    {
      purple_debug_info (UCWA_PURPLE_DEBUG_CATEGORY,
                         "adding contact %s to the buddy list\n", address);
      buddy = purple_buddy_new (conn->account, address, NULL);
      purple_blist_add_buddy (buddy, NULL, ucwa_purple_contacts_group (), NULL);
    }
  if (display_name != NULL && *display_name != '\0')
    serv_got_alias (conn->gc, address, display_name);
}

void
ucwa_purple_contact_presence (UcwaClient *client, const char *address,
                              const char *availability, gpointer user_data)
{
  UcwaPurpleConnection *conn = user_data;
  const char *status_id = ucwa_purple_status_id_for_availability (availability);

  purple_debug_misc (UCWA_PURPLE_DEBUG_CATEGORY, "%s is %s (%s)\n", address,
                     availability != NULL ? availability : "(none)", status_id);
  purple_prpl_got_user_status (conn->account, address, status_id, NULL);
}

void
ucwa_purple_add_buddy (PurpleConnection *gc, PurpleBuddy *buddy,
                       PurpleGroup *group)
{
  /* The server's contact list cannot be changed yet: keep it local. */
  purple_debug_info (UCWA_PURPLE_DEBUG_CATEGORY,
                     "add_buddy %s: kept in the local list only\n",
                     purple_buddy_get_name (buddy));
}

void
ucwa_purple_remove_buddy (PurpleConnection *gc, PurpleBuddy *buddy,
                          PurpleGroup *group)
{
  purple_debug_info (UCWA_PURPLE_DEBUG_CATEGORY,
                     "remove_buddy %s: removed from the local list only\n",
                     purple_buddy_get_name (buddy));
}
