/* markup.c: between purple's HTML-ish message markup and the plain text
 * UCWA carries.
 *
 * Pidgin and Finch both hand send_im markup: Finch escapes what the user
 * typed (purple_markup_escape_text), Pidgin sends GtkIMHtml markup with
 * <br> for new lines.  Either way, what the user typed is the markup with
 * tags dropped and entities decoded once, so a typed "<b>" arrives as "<b>".
 */
#include "config.h"

#include <string.h>

#include "ucwa-purple.h"

/* @tag points just past '<'; TRUE for br, br/, br /, BR. */
static gboolean
ucwa_purple_tag_is_line_break (const char *tag, const char *tag_end)
{
  gsize len = tag_end - tag;

  if (len < 2 || g_ascii_strncasecmp (tag, "br", 2) != 0)
    return FALSE;
  return len == 2 || tag[2] == '/' || g_ascii_isspace (tag[2]);
}

char *
ucwa_purple_markup_to_text (const char *markup)
{
  GString *text;
  const char *p;

  g_return_val_if_fail (markup != NULL, NULL);

  text = g_string_sized_new (strlen (markup));
  p = markup;
  while (*p != '\0')
    {
      if (g_str_has_prefix (p, "<!--"))
        {
          const char *end = strstr (p + 4, "-->");

          if (end != NULL)
            {
              p = end + 3;
              continue;
            }
        }
      if (*p == '<')
        {
          const char *end = strchr (p + 1, '>');

          /* A '<' that opens no tag is text. */
          if (end != NULL && (g_ascii_isalpha (p[1]) || p[1] == '/'))
            {
              if (ucwa_purple_tag_is_line_break (p + 1, end))
                g_string_append_c (text, '\n');
              p = end + 1;
              continue;
            }
        }
      else if (*p == '&')
        {
          int len = 0;
          const char *plain = purple_markup_unescape_entity (p, &len);

          if (plain != NULL && len > 0)
            {
              g_string_append (text, plain);
              p += len;
              continue;
            }
        }
      g_string_append_c (text, *p);
      p++;
    }

  return g_string_free (text, FALSE);
}

char *
ucwa_purple_text_to_markup (const char *text)
{
  g_autofree char *escaped = NULL;
  GString *markup;

  g_return_val_if_fail (text != NULL, NULL);

  escaped = g_markup_escape_text (text, -1);
  markup = g_string_sized_new (strlen (escaped));
  for (const char *p = escaped; *p != '\0'; p++)
    {
      if (p[0] == '\r' && p[1] == '\n')
        continue;
      if (*p == '\n' || *p == '\r')
        g_string_append (markup, "<br>");
      else
        g_string_append_c (markup, *p);
    }
  return g_string_free (markup, FALSE);
}
