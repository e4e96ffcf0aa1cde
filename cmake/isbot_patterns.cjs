// Writes the npm isbot package's user-agent patterns, one regular expression
// per line, for embedding into the binary (CMakeLists.txt; the bot filter
// of analytics, src/adapters/http/bot_filter.cpp).
// Usage: node isbot_patterns.cjs <path of isbot/index.js> <output file>
'use strict';
const fs = require('fs');
const [, , isbot, out] = process.argv;
const { list } = require(isbot);
if (!Array.isArray(list) || list.length === 0) throw new Error(`${isbot} has no pattern list`);
fs.writeFileSync(out, list.join('\n') + '\n');
