# Writes a help2man include file with `marquee serve --help` as its own
# section, so the man page lists every serve option (also valid as
# marquee.toml keys and MARQUEE_<KEY> environment variables).
execute_process(COMMAND ${MARQUEE} serve --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "marquee serve --help failed")
endif()
string(REPLACE "\\" "\\e" help "${help}")
string(REPLACE "-" "\\-" help "${help}")
file(WRITE ${OUT} "[SERVE OPTIONS]\n.nf\n${help}\n.fi\n.PP\nEvery serve option may also stand in the configuration file (\\fB--config\\fR, TOML; key = the option's name with _ for -) or in the environment as MARQUEE_<KEY>; a flag wins over the environment, which wins over the file.\n[FILES]\n.TP\n/etc/marquee/marquee.toml\nThe settings of every instance (\\fBmarquee@.service\\fR).\n.TP\n/lib/systemd/system/marquee@.service\nOne instance per port.\n.TP\n/usr/share/doc/marquee/examples/\nnginx in front of several instances.\n[SEE ALSO]\n/usr/share/doc/marquee/deploying.md\n")
