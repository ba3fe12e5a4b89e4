// `npm start`: installs what is missing, then runs the local pipeline in this very process (tsx's require hook
// rather than the tsx command, which would add a process between npm and the pipeline). So a signal npm forwards
// reaches the pipeline itself. Plain CommonJS: the first line must run before anything is installed.
require('./ensure-install.cjs');
require('tsx/cjs');
require('./start.ts');
