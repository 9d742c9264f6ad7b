/* test-data-uri.c: every data-URI shape the reference shows, and garbage. */
#include <string.h>

#include "ucwa-data-uri.h"
#include "ucwa-error.h"

#define FFFD "\xef\xbf\xbd"

/* Decodes @uri, expecting @text and @type. */
static void
check_decode (const char *uri,
              const char *text,
              const char *type)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *decoded = ucwa_data_uri_decode (uri, &content_type, &error);

  g_test_message ("decoding %s", uri);
  g_assert_no_error (error);
  g_assert_nonnull (decoded);
  g_assert_true (g_utf8_validate (decoded, -1, NULL));
  g_assert_cmpstr (decoded, ==, text);
  g_assert_cmpstr (content_type, ==, type);
}

static void
check_fails (const char *uri)
{
  g_autoptr(GError) error = NULL;
  /* Not allocated: the decoder must overwrite it with NULL, not free it. */
  char *content_type = (char *) "untouched";
  g_autofree char *decoded = ucwa_data_uri_decode (uri, &content_type, &error);

  g_test_message ("decoding %s", uri);
  g_assert_null (decoded);
  g_assert_error (error, UCWA_ERROR, UCWA_ERROR_PROTOCOL);
  g_assert_null (content_type);
}

static void
test_reference_encodings (void)
{
  /* ReceiveAnIM: percent-encoded, `+` a space, one CRLF stripped. */
  check_decode ("data:text/plain;charset=utf-8,Hi+Tosh%0d%0a", "Hi Tosh", "text/plain");
  check_decode ("data:text/plain;charset=utf8,Hello+there%21", "Hello there!", "text/plain");
  check_decode ("data:text/html;base64,PGI+SGk8L2I+IHRoZXJl", "<b>Hi</b> there", "text/html");
  check_decode ("data:text/plain;base64,SGVsbG8=", "Hello", "text/plain");
  check_decode ("data:text/plain,Hello+World", "Hello World", "text/plain");
}

static void
test_header_variants (void)
{
  check_decode ("data:,Hello", "Hello", "text/plain");
  check_decode ("data:;charset=utf-8,Hello", "Hello", "text/plain");
  check_decode ("data:;base64,SGVsbG8=", "Hello", "text/plain");
  check_decode ("data:text/plain;base64;charset=utf-8,SGVsbG8=", "Hello", "text/plain");
  check_decode ("DATA:Text/HTML;Charset=UTF-8;BASE64,SGVsbG8=", "Hello", "text/html");
  check_decode ("data:text/plain;charset=\"UTF8\",Hi", "Hi", "text/plain");
  check_decode ("data:text/plain;format=flowed;charset=utf-8,Hi", "Hi", "text/plain");
  check_decode ("data:text/plain,", "", "text/plain");
  /* The content type is optional to ask for. */
  {
    g_autofree char *text = ucwa_data_uri_decode ("data:text/html,%3Cp%3E", NULL, NULL);
    g_assert_cmpstr (text, ==, "<p>");
  }
}

static void
test_unicode_round_trip (void)
{
  const char *text = "h\xc3\xa9llo <b>&amp; \xf0\x9f\x8e\x89";
  g_autofree char *uri = ucwa_data_uri_encode ("text/html", text);
  const char *prefix = "data:text/html;charset=utf-8;base64,";
  g_autofree guchar *raw = NULL;
  gsize raw_len = 0;

  g_assert_true (g_str_has_prefix (uri, prefix));
  /* The payload is plain base64 of the UTF-8 bytes. */
  raw = g_base64_decode (uri + strlen (prefix), &raw_len);
  g_assert_cmpmem (raw, raw_len, text, strlen (text));

  check_decode (uri, text, "text/html");
  check_decode ("data:text/html;charset=utf-8,h%C3%A9llo+%3Cb%3E%26amp%3B+%F0%9F%8E%89",
                text, "text/html");
  /* Raw UTF-8 in a percent body is kept as it is. */
  check_decode ("data:text/plain,h\xc3\xa9llo", "h\xc3\xa9llo", "text/plain");

  {
    g_autofree char *plain = ucwa_data_uri_encode (NULL, "Gr\xc3\xbc\xc3\x9f" "e");
    g_assert_cmpstr (plain, ==, "data:text/plain;charset=utf-8;base64,R3LDvMOfZQ==");
  }
  {
    g_autofree char *empty = ucwa_data_uri_encode ("text/plain", "");
    check_decode (empty, "", "text/plain");
  }
}

static void
test_plus_signs (void)
{
  /* An escaped plus is a plus; a bare one a space. */
  check_decode ("data:text/plain,1%2B1+%3D+2", "1+1 = 2", "text/plain");
  /* In base64, `+` is part of the alphabet, never a space. */
  check_decode ("data:text/plain;base64,eD5+", "x>~", "text/plain");
  /* Escaped base64 characters are unescaped first. */
  check_decode ("data:text/plain;base64,SGVsbG8%3D", "Hello", "text/plain");
  check_decode ("data:text/plain;base64,eD5%2B", "x>~", "text/plain");
}

static void
test_other_charsets (void)
{
  check_decode ("data:text/plain;charset=iso-8859-1,caf%E9", "caf\xc3\xa9", "text/plain");
  check_decode ("data:text/plain;charset=ISO-8859-1;base64,Y2Fm6Q==", "caf\xc3\xa9", "text/plain");
  check_decode ("data:text/plain;charset=windows-1252,%80+5", "\xe2\x82\xac 5", "text/plain");
  /* 0x81 means nothing in windows-1252. */
  check_decode ("data:text/plain;charset=windows-1252,a%81b", "a" FFFD "b", "text/plain");
  /* A charset iconv does not know is read as UTF-8. */
  check_decode ("data:text/plain;charset=x-no-such-charset,caf%C3%A9", "caf\xc3\xa9", "text/plain");
}

static void
test_invalid_bytes (void)
{
  check_decode ("data:text/plain;charset=utf-8,a%FFb%C3", "a" FFFD "b" FFFD, "text/plain");
  check_decode ("data:text/plain;base64,/w==", FFFD, "text/plain");
  /* A NUL would cut the message short: it is replaced, not dropped. */
  check_decode ("data:text/plain,a%00b", "a" FFFD "b", "text/plain");
  check_decode ("data:text/plain;base64,YQBi", "a" FFFD "b", "text/plain");
}

static void
test_line_endings (void)
{
  check_decode ("data:text/plain,x%0a", "x", "text/plain");
  check_decode ("data:text/plain,x%0d%0a%0d%0a", "x\r\n", "text/plain");
  check_decode ("data:text/plain,x%0a%0a", "x\n", "text/plain");
  check_decode ("data:text/plain,x%0d", "x\r", "text/plain");
  check_decode ("data:text/plain,a%0d%0ab", "a\r\nb", "text/plain");
}

static void
test_bad_percent_tolerated (void)
{
  /* Kept literally: a stray percent sign beats losing the message. */
  check_decode ("data:text/plain,100%+sure", "100% sure", "text/plain");
  check_decode ("data:text/plain,%zz%4", "%zz%4", "text/plain");
  check_decode ("data:text/plain,end%", "end%", "text/plain");
}

static void
test_garbage (void)
{
  check_fails ("http://x");
  check_fails ("");
  check_fails ("data:");
  check_fails ("data:text/plain");
  check_fails ("dat:text/plain,x");
  check_fails ("data:text/plain;base64,@@@@");
  check_fails ("data:text/plain;base64,SGVsbG8=X");
  check_fails ("data:text/plain;base64,S");
  check_fails ("data:text/plain;base64,SG===");
  check_fails ("data:application/sdp;base64,base64-encoded-sdp");

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *text = ucwa_data_uri_decode (NULL, NULL, &error);

    g_assert_null (text);
    g_assert_error (error, UCWA_ERROR, UCWA_ERROR_PROTOCOL);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/data-uri/reference-encodings", test_reference_encodings);
  g_test_add_func ("/data-uri/header-variants", test_header_variants);
  g_test_add_func ("/data-uri/unicode-round-trip", test_unicode_round_trip);
  g_test_add_func ("/data-uri/plus-signs", test_plus_signs);
  g_test_add_func ("/data-uri/other-charsets", test_other_charsets);
  g_test_add_func ("/data-uri/invalid-bytes", test_invalid_bytes);
  g_test_add_func ("/data-uri/line-endings", test_line_endings);
  g_test_add_func ("/data-uri/bad-percent-tolerated", test_bad_percent_tolerated);
  g_test_add_func ("/data-uri/garbage", test_garbage);

  return g_test_run ();
}
