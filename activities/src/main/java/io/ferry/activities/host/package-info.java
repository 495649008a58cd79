/**
 * Activity implementations for hosts: compose projects, config files and systemd services. Config
 * switches keep the original file under the key so a rollback can put it back.
 */
package io.ferry.activities.host;
