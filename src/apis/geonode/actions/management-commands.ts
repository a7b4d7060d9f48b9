/**
 * The management commands GeoNode exposes over HTTP (`MANAGEMENT_COMMANDS_EXPOSED_OVER_HTTP`): each command's app,
 * help text and output, and the help page `GET /management/commands/{cmd_name}/` answers.
 */
interface Command {
  app: string;
  about: string;
  options: string[];
  output: string;
}

/** `MANAGEMENT_COMMANDS_EXPOSED_OVER_HTTP` with the app each comes from. */
export const MANAGEMENT_COMMANDS: Record<string, Command> = {
  ping_mngmt_commands_http: {
    app: 'geonode.management_commands_http',
    about: 'Responds with "pong" (checks that commands can be run over HTTP).',
    options: [
      '--sleep SLEEP         Sleep for the given number of seconds before answering.',
      '--force_exception     Raise an exception instead of answering.',
    ],
    output: 'pong\n',
  },
  updatelayers: {
    app: 'geonode.geoserver',
    about: 'Update the GeoNode datasets: add missing ones and update the metadata of the existing ones.',
    options: [
      '-i, --ignore-errors   Stop after errors are encountered.',
      '--skip-unadvertised  Skip the unadvertised datasets.',
      '-w WORKSPACE, --workspace WORKSPACE',
      '                      Only update the datasets of this workspace.',
    ],
    output: 'Updated 0 datasets, 0 failed.\n',
  },
  sync_geonode_datasets: {
    app: 'geonode.geoserver',
    about: 'Update the GeoNode datasets: permissions (including GeoFence database), statistics, thumbnails.',
    options: [
      '--updatepermissions  Update the dataset permissions.',
      '--updatethumbnails   Update the dataset thumbnails.',
      '--updateattributes   Update the dataset attributes.',
    ],
    output: 'Syncing datasets...\nDone.\n',
  },
  sync_geonode_maps: {
    app: 'geonode.geoserver',
    about: 'Update the GeoNode maps: permissions and thumbnails.',
    options: ['--updatethumbnails   Update the map thumbnails.'],
    output: 'Syncing maps...\nDone.\n',
  },
  importlayers: {
    app: 'geonode.geoserver',
    about: 'Brings files from a local directory, including subfolders, into a GeoNode site.',
    options: [
      '-u USER, --user USER  Name of the user account which should own the imported datasets.',
      '-o, --overwrite       Overwrite existing datasets if discovered (defaults False).',
    ],
    output: 'Imported 0 datasets.\n',
  },
  set_all_datasets_metadata: {
    app: 'geonode.geoserver',
    about: 'Resets the metadata of all datasets (links, thumbnails, catalogue records).',
    options: ['-d, --remove-duplicates', '                      Remove duplicated links.'],
    output: 'Metadata updated.\n',
  },
  set_layers_permissions: {
    app: 'geonode.security',
    about: 'Assign permissions on resources to users or groups.',
    options: [
      '-r RESOURCES, --resources RESOURCES',
      '-p PERMISSION, --permission PERMISSION',
      '-u USERS, --users USERS',
      '-g GROUPS, --groups GROUPS',
    ],
    output: 'Permissions set.\n',
  },
};

const COMMON_OPTIONS = [
  '-h, --help            show this help message and exit',
  "--version             Show program's version number and exit.",
  '-v {0,1,2,3}, --verbosity {0,1,2,3}',
  '                      Verbosity level; 0=minimal output, 1=normal output, 2=verbose output, 3=very verbose output',
  '--settings SETTINGS   The Python path to a settings module, e.g. "myproject.settings.main".',
  '--pythonpath PYTHONPATH',
  '                      A directory to add to the Python path, e.g. "/home/djangoprojects/myproject".',
  '--traceback           Raise on CommandError exceptions.',
  "--no-color            Don't colorize the command output.",
  '--force-color         Force colorization of the command output.',
  '--skip-checks         Skip system checks.',
];

export function helpText(name: string, c: Command): string {
  return `usage: manage.py ${name} [-h] [options]\n\n${c.about}\n\noptions:\n${[COMMON_OPTIONS[0], ...c.options, ...COMMON_OPTIONS.slice(1)].map((l) => `  ${l}`).join('\n')}\n`;
}
