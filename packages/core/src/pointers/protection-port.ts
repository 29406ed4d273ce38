/** EC2 deregistration protection of one image (Enable/DisableImageDeregistrationProtection). */
export interface DeregistrationProtection {
  /** EnableImageDeregistrationProtection; with cooldown the image stays protected 24 h after it is disabled. */
  enableProtection(region: string, imageId: string, withCooldown: boolean): Promise<void>;
  /** DisableImageDeregistrationProtection (a cooldown, when set, still runs its 24 h). */
  disableProtection(region: string, imageId: string): Promise<void>;
}
