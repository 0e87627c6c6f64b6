// Zod 4 compiles object parsers with `new Function` when it may, and finds out by trying one: under
// the app's CSP (script-src 'self', no 'unsafe-eval') that probe is a CSP violation. Jitless mode
// never tries. Import this module before anything parses, as the renderer entry's first import.
import { z } from 'zod';

z.config({ jitless: true });
