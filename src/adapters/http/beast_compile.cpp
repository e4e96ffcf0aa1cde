// Beast and Asio are compiled once, here (BOOST_BEAST_SEPARATE_COMPILATION,
// BOOST_ASIO_SEPARATE_COMPILATION), to keep the 2-core build quick.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
