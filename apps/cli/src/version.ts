/** Version of the CLI (kept equal to package.json by a test). */
export const CLI_VERSION_TEXT = '0.0.0';
