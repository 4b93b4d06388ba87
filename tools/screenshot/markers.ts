// The lines around the base64 PNG that capture.js prints, shared by the script and the tool.
export const BEGIN = '-----BEGIN SPROUT SCREENSHOT-----';
export const END = '-----END SPROUT SCREENSHOT-----';
