/**
 * Certificates: reading and describing them (Node's X509Certificate: RSA and EC alike),
 * checking CA files for phones, issuing a private CA, server and device certificates
 * (node-forge); expiry.ts watches the certificates the roles serve.
 */
export { CertificateError, readCertificates, pemBlocks } from './read';
export { describeCertificate, oneLine, type CertificateSummary } from './describe';
export { phoneCaFile, CaFileError, MAX_CA_FILE_BYTES, type PhoneCaFile } from './ca-file';
export { createCa, issueServer, issueDevice, IssueError, type KeyAndCertificate, type CaRequest, type ServerRequest, type DeviceRequest } from './issue';
