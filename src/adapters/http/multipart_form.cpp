#include "adapters/http/multipart_form.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "adapters/gmime/gmime_ptr.hpp"

namespace marquee {

namespace {

bool usable_type(const std::string& content_type) {
  return content_type.find("boundary=") != std::string::npos && content_type.find('\n') == std::string::npos &&
         content_type.find('\r') == std::string::npos;
}

// GMime parses a MIME entity: the Content-Type header, then the body.
std::optional<std::map<std::string, FormPart>> parse_entity(GMimeStream* stream) {
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream));
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

}  // namespace

std::optional<std::map<std::string, FormPart>> parse_multipart_form(const std::string& content_type,
                                                                    const std::string& body) {
  ensure_gmime();
  if (!usable_type(content_type)) return std::nullopt;
  const std::string entity = "Content-Type: " + content_type + "\r\n\r\n" + body;
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(entity.data(), entity.size()));
  return parse_entity(stream.get());
}

std::optional<std::map<std::string, FormPart>> parse_multipart_form_file(const std::string& content_type,
                                                                         const std::string& path) {
  ensure_gmime();
  if (!usable_type(content_type)) return std::nullopt;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  const std::string head = "Content-Type: " + content_type + "\r\n\r\n";
  GPtr<GMimeStream> header(g_mime_stream_mem_new_with_buffer(head.data(), head.size()));
  GPtr<GMimeStream> file(g_mime_stream_fs_new(fd));  // owns fd
  GPtr<GMimeStream> entity(g_mime_stream_cat_new());
  g_mime_stream_cat_add_source(GMIME_STREAM_CAT(entity.get()), header.get());
  g_mime_stream_cat_add_source(GMIME_STREAM_CAT(entity.get()), file.get());
  return parse_entity(entity.get());
}

std::optional<std::map<std::string, FormPart>> parse_multipart_request(const Request& req) {
  if (req.body_file) return parse_multipart_form_file(req.header("content-type"), req.body_file->path);
  return parse_multipart_form(req.header("content-type"), req.body);
}

}  // namespace marquee
