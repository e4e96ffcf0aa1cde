#include "adapters/mail/mime_message.hpp"

#include <stdexcept>

#include "adapters/gmime/gmime_ptr.hpp"

namespace marquee {
namespace {

GMimeObject* text_part(const char* subtype, const std::string& text) {
  GMimeTextPart* part = g_mime_text_part_new_with_subtype(subtype);
  g_mime_text_part_set_text(part, text.c_str());
  g_mime_text_part_set_charset(part, "utf-8");
  g_mime_part_set_content_encoding(GMIME_PART(part), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  return GMIME_OBJECT(part);
}

// " =?UTF-8?B?…?=\n =?UTF-8?B?…?=\n" (a folded raw header value), or "" for ASCII text.
std::string encoded_subject(const std::string& subject) {
  bool ascii = true;
  for (unsigned char c : subject)
    if (c >= 0x80 || c < 0x20) ascii = false;
  if (ascii) return "";
  std::string out;
  std::size_t i = 0;
  while (i < subject.size()) {
    // At most 45 bytes per word: 60 base64 characters, 72 with the markers (≤ 75).
    std::size_t end = std::min(subject.size(), i + 45);
    while (end < subject.size() && end > i + 1 && (static_cast<unsigned char>(subject[end]) & 0xC0) == 0x80) --end;
    gchar* b64 = g_base64_encode(reinterpret_cast<const guchar*>(subject.data() + i), end - i);
    out += " =?UTF-8?B?";
    out += b64;
    out += "?=\n";
    g_free(b64);
    i = end;
  }
  return out;
}

}  // namespace

std::string build_mime_message(const MimeParts& p) {
  ensure_gmime();
  GPtr<GMimeMessage> msg(g_mime_message_new(TRUE));
  g_mime_message_add_mailbox(msg.get(), GMIME_ADDRESS_TYPE_FROM, p.from_name.c_str(), p.from_address.c_str());
  if (!p.reply_to.empty()) g_mime_message_add_mailbox(msg.get(), GMIME_ADDRESS_TYPE_REPLY_TO, "", p.reply_to.c_str());
  g_mime_message_add_mailbox(msg.get(), GMIME_ADDRESS_TYPE_TO, p.to_name.c_str(), p.to_address.c_str());
  g_mime_message_set_subject(msg.get(), p.subject.c_str(), "utf-8");
  // GMime encodes only the words that need it ("now Friday, =?UTF-8?B?…?=
  // (Europe/Berlin)"), which is RFC 2047 §5 but loses the space after the
  // encoded word in widespread decoders ("12:30(Europe/Berlin)"). A subject
  // with any non-ASCII byte is therefore sent as encoded words only, each
  // holding whole characters and its own spaces (RFC 2047 §2, §5(1)).
  if (auto raw = encoded_subject(p.subject); !raw.empty()) {
    GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(msg.get()));
    if (GMimeHeader* h = g_mime_header_list_get_header(headers, "Subject")) g_mime_header_set_raw_value(h, raw.c_str());
  }
  g_mime_message_set_message_id(msg.get(), p.message_id.c_str());
  GDateTime* date = g_date_time_new_from_unix_utc(p.date);
  g_mime_message_set_date(msg.get(), date);
  g_date_time_unref(date);
  g_mime_object_set_header(GMIME_OBJECT(msg.get()), "Auto-Submitted", "auto-generated", nullptr);
  if (!p.list_unsubscribe.empty()) {
    if (p.list_unsubscribe.find_first_of("<>\r\n \t") != std::string::npos)
      throw std::runtime_error("the unsubscribe URL holds a character a List-Unsubscribe header cannot carry");
    // Set raw: GMime would encode the value as RFC 2047 words, which RFC 2369 §2 does not allow in a URL.
    GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(msg.get()));
    g_mime_header_list_append(headers, "List-Unsubscribe", "", nullptr);
    if (GMimeHeader* h = g_mime_header_list_get_header(headers, "List-Unsubscribe"))
      g_mime_header_set_raw_value(h, (" <" + p.list_unsubscribe + ">\n").c_str());
    g_mime_object_set_header(GMIME_OBJECT(msg.get()), "List-Unsubscribe-Post", "List-Unsubscribe=One-Click", nullptr);
  }

  GPtr<GMimeMultipart> alternative(g_mime_multipart_new_with_subtype("alternative"));
  GPtr<GMimeObject> text(text_part("plain", p.text));
  GPtr<GMimeObject> html(text_part("html", p.html));
  g_mime_multipart_add(alternative.get(), text.get());
  g_mime_multipart_add(alternative.get(), html.get());

  GPtr<GMimeMultipart> mixed;
  GPtr<GMimePart> calendar;
  if (!p.calendar.empty()) {
    mixed.reset(g_mime_multipart_new_with_subtype("mixed"));
    g_mime_multipart_add(mixed.get(), GMIME_OBJECT(alternative.get()));
    calendar.reset(g_mime_part_new_with_type("text", "calendar"));
    g_mime_object_set_content_type_parameter(GMIME_OBJECT(calendar.get()), "charset", "utf-8");
    g_mime_object_set_content_type_parameter(GMIME_OBJECT(calendar.get()), "method", p.calendar_method.c_str());
    g_mime_part_set_filename(calendar.get(), "event.ics");
    GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(p.calendar.data(), p.calendar.size()));
    GPtr<GMimeDataWrapper> content(g_mime_data_wrapper_new_with_stream(stream.get(), GMIME_CONTENT_ENCODING_DEFAULT));
    g_mime_part_set_content(calendar.get(), content.get());
    g_mime_part_set_content_encoding(calendar.get(), GMIME_CONTENT_ENCODING_BASE64);
    g_mime_multipart_add(mixed.get(), GMIME_OBJECT(calendar.get()));
    g_mime_message_set_mime_part(msg.get(), GMIME_OBJECT(mixed.get()));
  } else {
    g_mime_message_set_mime_part(msg.get(), GMIME_OBJECT(alternative.get()));
  }

  GMimeFormatOptions* format = g_mime_format_options_new();
  g_mime_format_options_set_newline_format(format, GMIME_NEWLINE_FORMAT_DOS);
  char* out = g_mime_object_to_string(GMIME_OBJECT(msg.get()), format);
  g_mime_format_options_free(format);
  if (!out) throw std::runtime_error("MIME: the message could not be written");
  std::string result(out);
  g_free(out);
  return result;
}

}  // namespace marquee
