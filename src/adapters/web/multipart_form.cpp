#include "adapters/web/multipart_form.hpp"

#include "adapters/gmime/gmime_ptr.hpp"

namespace marquee {

std::optional<std::map<std::string, FormPart>> parse_multipart_form(const std::string& content_type,
                                                                    const std::string& body) {
  ensure_gmime();
  if (content_type.find("boundary=") == std::string::npos || content_type.find('\n') != std::string::npos ||
      content_type.find('\r') != std::string::npos)
    return std::nullopt;
  // GMime parses a MIME entity: give it the Content-Type header, then the body.
  const std::string entity = "Content-Type: " + content_type + "\r\n\r\n" + body;
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(entity.data(), entity.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  GPtr<GMimeObject> root(g_mime_parser_construct_part(parser.get(), nullptr));
  if (!root || !GMIME_IS_MULTIPART(root.get())) return std::nullopt;
  auto* multipart = GMIME_MULTIPART(root.get());
  std::map<std::string, FormPart> out;
  const int count = g_mime_multipart_get_count(multipart);
  for (int i = 0; i < count; ++i) {
    GMimeObject* part = g_mime_multipart_get_part(multipart, i);
    if (!GMIME_IS_PART(part)) continue;
    const char* name = g_mime_object_get_content_disposition_parameter(part, "name");
    if (!name) continue;
    FormPart fp;
    if (const char* file = g_mime_part_get_filename(GMIME_PART(part))) fp.file_name = file;
    if (GMimeDataWrapper* content = g_mime_part_get_content(GMIME_PART(part))) {
      GPtr<GMimeStream> sink(g_mime_stream_mem_new());
      g_mime_data_wrapper_write_to_stream(content, sink.get());
      GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(sink.get()));
      fp.value.assign(reinterpret_cast<const char*>(bytes->data), bytes->len);
    }
    out[name] = std::move(fp);
  }
  return out;
}

}  // namespace marquee
