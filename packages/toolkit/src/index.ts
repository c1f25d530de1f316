// Public entry of the toolkit package.
export {};
