// Placeholder until the real global setup (redis-server + simulator on free ports) lands.
export default async function globalSetup(): Promise<void> {}
